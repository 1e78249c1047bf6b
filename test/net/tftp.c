/* The TFTP read client against a fake server scripted here from RFC 1350
 * (its packets built by the test): files of several sizes (a last block
 * of 0 bytes too), lost and repeated blocks, an unknown file, a file
 * larger than the buffer, a stranger's packets, and a silent server. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "wire.h"

TestSuite(net_tftp); /* no .timeout: Criterion 2.4 then leaks in its runner */

#define SERVER NET_IP(10, 0, 2, 2)
#define TID    3333

struct server {
    size_t size;         /* of the file "boot.bin" */
    uint16_t client;     /* the client's port */
    unsigned acks, rrqs; /* seen */
    int drop_block;      /* this block's first sending is lost */
    int repeat;          /* every block sent twice */
    int stranger;        /* a packet from another port first */
    int silent;
};

static uint8_t content(size_t i)
{
    return (uint8_t)(i * 31 + i / 512);
}

static void send_packet(struct wire *w, uint16_t sport, const uint8_t *m, size_t n)
{
    struct server *sv = w->script_ctx;
    uint8_t f[1600];
    size_t len = fr_udp(f, wire_mac[0], wire_mac[1], SERVER, WIRE_A_IP, sport, sv->client, m, n);
    wire_inject(w, 0, f, (uint32_t)len);
}

static void send_block(struct wire *w, unsigned block)
{
    struct server *sv = w->script_ctx;
    uint8_t m[516] = {0, 3, (uint8_t)(block >> 8), (uint8_t)block};
    size_t from = (block - 1) * 512u, n = 0;
    while (n < 512 && from + n < sv->size) {
        m[4 + n] = content(from + n);
        n++;
    }
    if ((int)block == sv->drop_block) {
        sv->drop_block = -1;
        return;
    }
    send_packet(w, TID, m, 4 + n);
    if (sv->repeat)
        send_packet(w, TID, m, 4 + n);
}

static void tftp_server(struct wire *w, const uint8_t *f, uint32_t len)
{
    struct server *sv = w->script_ctx;
    struct fr_parsed p;
    if (wire_script_arp(w, f, len, SERVER) || !fr_parse(f, len, &p) || p.proto != 17)
        return;
    const uint8_t *m = p.data;
    if (p.dport == 69) {
        sv->rrqs++;
        sv->client = p.sport;
        cr_assert_eq(m[1], 1, "RRQ");
        const char *name = (const char *)m + 2;
        cr_assert_str_eq(name + strlen(name) + 1, "octet");
        if (sv->silent)
            return;
        if (strcmp(name, "boot.bin") != 0) {
            static const uint8_t err[] = {0, 5, 0, 1, 'n', 'o', 0};
            send_packet(w, TID, err, sizeof err);
            return;
        }
        send_block(w, 1);
        if (sv->stranger) { /* block 2 from another port: not this transfer's */
            static const uint8_t data[] = {0, 3, 0, 2, 'x'};
            send_packet(w, TID + 1, data, sizeof data);
        }
        return;
    }
    cr_assert_eq(p.dport, TID);
    cr_assert_eq(p.len, 4);
    cr_assert_eq(m[1], 4, "ACK");
    sv->acks++;
    unsigned block = (unsigned)m[2] << 8 | m[3];
    if (block * 512u <= sv->size) /* else that was the last */
        send_block(w, block + 1);
}

static int finished(struct wire *w, void *ctx)
{
    (void)ctx;
    return net_tftp_poll(w->stack[0]) != NET_E_AGAIN;
}

/* Reads NAME into a buffer of CAP bytes; the poll's result. */
static int fetch(struct server *sv, const char *name, size_t cap, uint8_t **buf, struct wire *w)
{
    wire_init(w, 90);
    wire_script_end(w, 1, tftp_server, sv);
    *buf = malloc(cap);
    cr_assert_eq(net_tftp_start(w->stack[0], SERVER, name, *buf, (uint32_t)cap), NET_OK);
    cr_assert_eq(net_tftp_start(w->stack[0], SERVER, name, *buf, (uint32_t)cap), NET_E_INUSE);
    cr_assert(wire_until(w, finished, NULL, 60000));
    return net_tftp_poll(w->stack[0]);
}

/* Reads a file of SIZE bytes from server SV, checks it, and returns the
 * server's record (its ACK and RRQ counts). */
static struct server expect_file(size_t size, struct server sv)
{
    struct wire w;
    uint8_t *buf;
    sv.size = size;
    int r = fetch(&sv, "boot.bin", 1 << 20, &buf, &w);
    cr_assert_eq(r, (int)size, "%zu bytes: got %d", size, r);
    for (size_t i = 0; i < size; i++)
        cr_assert_eq(buf[i], content(i), "byte %zu", i);
    free(buf);
    wire_free(&w);
    return sv;
}

Test(net_tftp, files_of_several_sizes)
{
    size_t sizes[] = {0, 1, 511, 512, 513, 1024, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct server sv = expect_file(sizes[i], (struct server){0});
        cr_assert_eq(sv.acks, sizes[i] / 512 + 1, "one ACK a block");
        cr_assert_eq(sv.rrqs, 1);
    }
}

Test(net_tftp, a_lost_block_is_asked_again)
{
    struct server sv = expect_file(3000, (struct server){.drop_block = 3});
    cr_assert_eq(sv.acks, 6 + 1, "block 2's ACK again");
    sv = expect_file(3000, (struct server){.drop_block = 1});
    cr_assert_eq(sv.rrqs, 2, "the RRQ again");
}

Test(net_tftp, repeated_blocks_are_taken_once)
{
    struct wire w;
    uint8_t *buf;
    struct server sv = {.size = 2000, .repeat = 1};
    cr_assert_eq(fetch(&sv, "boot.bin", 4096, &buf, &w), 2000);
    for (size_t i = 0; i < 2000; i++)
        cr_assert_eq(buf[i], content(i));
    free(buf);
    wire_free(&w);
}

Test(net_tftp, errors)
{
    struct wire w;
    uint8_t *buf;
    struct server sv = {.size = 2000};
    cr_assert_eq(fetch(&sv, "missing.bin", 4096, &buf, &w), NET_E_REFUSED);
    free(buf);
    wire_free(&w);
    sv = (struct server){.size = 2000};
    cr_assert_eq(fetch(&sv, "boot.bin", 1500, &buf, &w), NET_E_MSGSIZE);
    free(buf);
    wire_free(&w);
    sv = (struct server){.silent = 1};
    cr_assert_eq(fetch(&sv, "boot.bin", 1500, &buf, &w), NET_E_TIMEDOUT);
    cr_assert_eq(sv.rrqs, 5);
    free(buf);
    wire_free(&w);
}

Test(net_tftp, a_strangers_packet_is_ignored)
{
    struct wire w;
    uint8_t *buf;
    struct server sv = {.size = 700, .stranger = 1};
    cr_assert_eq(fetch(&sv, "boot.bin", 4096, &buf, &w), 700);
    cr_assert_eq(buf[512], content(512), "block 2 from the stranger not taken");
    cr_assert_eq(wire_counter(&w, 0, "tftp_ignored"), 1);
    free(buf);
    wire_free(&w);
}
