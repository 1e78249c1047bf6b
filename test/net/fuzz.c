/* Seeded random mutations of valid frames (a byte set, a bit flipped, cut
 * short, junk added) thrown at a stack with a connection, a listener and
 * a UDP socket: nothing may crash or read past a frame (each arrives as
 * an exact-size copy, under AddressSanitizer), and the stack must still
 * connect and answer after. */
#include <criterion/criterion.h>

#include "frames.h"
#include "wire.h"

TestSuite(net_fuzz); /* no .timeout: Criterion 2.4 then leaks in its runner */

/* A's connection to B (B:80), whose numbers the TCP template uses. */
static struct net_tcp_conn *conn;

/* A few of each kind of valid frame, for the fuzzer to break. */
static size_t template(int k, uint8_t *f)
{
    static const uint8_t none[6];
    const uint8_t *to = wire_mac[0], *from = wire_mac[1];
    uint32_t a = WIRE_A_IP, b = WIRE_B_IP;
    switch (k) {
    case 0:
        return fr_arp(f, to, from, 1, b, none, a);
    case 1:
        return fr_icmp(f, to, from, b, a, 8, 1, 2, "ping", 4);
    case 2:
        return fr_udp(f, to, from, b, a, 9, 7, "hello", 5);
    case 3:
        return fr_tcp(f, to, from, b, a, 4000, 81, 1, 0, FR_SYN, 8192, 0, 0);
    default:
        return fr_tcp(f, to, from, b, a, 80, conn->local_port, conn->rcv_nxt, conn->snd_nxt, FR_ACK,
                      8192, "0123456789", 10);
    }
}

static uint32_t fuzz_seed = 12345;

static uint32_t fuzz_rand(void)
{
    fuzz_seed = fuzz_seed * 1664525u + 1013904223u;
    return fuzz_seed >> 8;
}

/* One to four changes: a byte set, a bit flipped, cut short, junk added. */
static size_t mutate(uint8_t *f, size_t n)
{
    for (uint32_t m = 1 + fuzz_rand() % 4; m; m--) {
        switch (fuzz_rand() % 4) {
        case 0:
            f[fuzz_rand() % n] = (uint8_t)fuzz_rand();
            break;
        case 1:
            f[14 + fuzz_rand() % (n - 14)] ^= (uint8_t)(1 << fuzz_rand() % 8);
            break;
        case 2:
            n = 1 + fuzz_rand() % n;
            break;
        default:
            for (size_t add = fuzz_rand() % 64; add && n < 1514; add--)
                f[n++] = (uint8_t)fuzz_rand();
        }
        if (n < 15)
            break;
    }
    return n;
}

Test(net_fuzz, random_mutations_of_valid_frames)
{
    struct wire w;
    wire_init(&w, 71);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    conn = &w.stack[0]->tcp[c];
    net_tcp_listen(w.stack[0], 81, 4);
    net_udp_open(w.stack[0], 7);
    uint8_t f[1600];
    for (int i = 0; i < 30000; i++) {
        size_t n = mutate(f, template(i % 5, f));
        wire_inject(&w, 0, f, (uint32_t)n);
        wire_deliver(&w);
        if (i % 100 == 0)
            wire_advance(&w, 1);
    }
    cr_assert_geq(net_counter(w.stack[0], 0), 30000);
    /* still working: a fresh connection (the fuzzed one may have been
     * reset by a lucky RST) and a ping */
    int c2, s2;
    wire_advance(&w, 130000);
    wire_tcp_pair(&w, 82, &c2, &s2);
    cr_assert_eq(wire_tcp_transfer(&w, 0, c2, s2, 20000, 3, 10000), 20000);
    int h = net_ping_start(w.stack[1], WIRE_A_IP, 5, 5, 100);
    wire_advance(&w, 5);
    uint32_t rtt;
    cr_assert_eq(net_ping_poll(w.stack[1], h, &rtt), NET_OK);
    wire_free(&w);
}
