/* The test network: two ends joined by a simulated wire, a fake clock, and
 * faults on demand. An end is a network stack (services/net) or a script:
 * a test function that sees every frame sent to it and answers with
 * frames of its own (frames.h), so a fake server cannot share a bug with
 * the stack's encoders. */
#ifndef TEST_NET_WIRE_H
#define TEST_NET_WIRE_H

#include <services/net/net.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_A_IP NET_IP(10, 0, 2, 15)
#define WIRE_B_IP NET_IP(10, 0, 2, 2)
#define WIRE_MASK NET_IP(255, 255, 255, 0)

extern const uint8_t wire_mac[2][6]; /* end 0 (A) and end 1 (B) */

struct wire;
typedef void wire_script(struct wire *w, const uint8_t *frame, uint32_t len);

/* Faults applied to each frame as it is sent, in percent. */
struct wire_faults {
    unsigned drop, duplicate, reorder, truncate, corrupt;
};

struct wire_frame {
    int to;
    uint32_t len;
    uint64_t due;
    uint8_t data[1600];
};

struct wire {
    uint64_t now;
    unsigned delay_ms; /* each frame's time on the wire */
    struct wire_faults faults;
    /* if set, a frame sent by end FROM is lost when this says so */
    int (*lose)(struct wire *w, int from, const uint8_t *frame, uint32_t len);
    int lose_count; /* for lose's use */
    uint32_t seed;
    struct net_stack *stack[2]; /* NULL: that end is a script */
    wire_script *script[2];
    void *script_ctx;
    struct wire_frame *q; /* frames on the wire, oldest first */
    size_t n, cap;
    unsigned long sent[2], dropped; /* frames sent by each end */
    unsigned wakes[2];
};

/* Both ends stacks at 10.0.2.15 (A, 0) and 10.0.2.2 (B, 1), /24. */
void wire_init(struct wire *w, uint32_t seed);
/* End END a script instead of a stack (its stack freed). */
void wire_script_end(struct wire *w, int end, wire_script *script, void *ctx);
/* Puts FRAME on the wire towards end TO (no faults: scripts' frames). */
void wire_inject(struct wire *w, int to, const void *frame, uint32_t len);
/* Delivers every frame due now, and what they cause, until none is. */
void wire_deliver(struct wire *w);
/* The clock forward by MS in steps of 1 ms, ticking both stacks. */
void wire_advance(struct wire *w, unsigned ms);
/* Runs (deliver, advance 1 ms) until DONE(ctx) or MS milliseconds
 * passed; returns whether DONE became true. */
int wire_until(struct wire *w, int (*done)(struct wire *w, void *ctx), void *ctx, unsigned ms);
/* For scripts at end 1: answers FRAME if it is an ARP request for IP
 * (with end 1's MAC); returns whether it was ARP at all. */
int wire_script_arp(struct wire *w, const uint8_t *frame, uint32_t len, uint32_t ip);
/* A stack's counter by name (asserts the name exists). */
uint64_t wire_counter(struct wire *w, int end, const char *name);
void wire_free(struct wire *w);

/* Transfers: N patterned bytes (seed SEED) written on handle FROM of end
 * F's stack and read on handle TO of the other end, checked byte for
 * byte; within MS milliseconds. Returns bytes read. */
size_t wire_tcp_transfer(struct wire *w, int f, int from, int to, size_t n, unsigned seed,
                         unsigned ms);
/* Connects A to a listener on B's PORT; sets *CLIENT (A) and *SERVER (B). */
void wire_tcp_pair(struct wire *w, uint16_t port, int *client, int *server);
uint8_t wire_pattern(size_t i, unsigned seed);

#endif
