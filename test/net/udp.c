/* UDP between two stacks: datagrams both ways with their sender, bounded
 * queues, short reads, ports, and checksums (none is allowed, a wrong one
 * is not). */
#include <criterion/criterion.h>
#include <string.h>

#include "frames.h"
#include "wire.h"

TestSuite(net_udp); /* no .timeout: Criterion 2.4 then leaks in its runner */

Test(net_udp, both_ways_with_the_sender)
{
    struct wire w;
    wire_init(&w, 60);
    int a = net_udp_open(w.stack[0], 5000), b = net_udp_open(w.stack[1], 7);
    cr_assert_eq(net_udp_port(w.stack[0], a), 5000);
    cr_assert_eq(net_udp_sendto(w.stack[0], a, WIRE_B_IP, 7, "ping", 4), 4);
    wire_advance(&w, 1);
    char buf[64];
    uint32_t ip;
    uint16_t port;
    cr_assert_eq(net_udp_recvfrom(w.stack[1], b, buf, sizeof buf, &ip, &port), 4);
    cr_assert(memcmp(buf, "ping", 4) == 0);
    cr_assert_eq(ip, WIRE_A_IP);
    cr_assert_eq(port, 5000);
    cr_assert_eq(net_udp_sendto(w.stack[1], b, ip, port, "pong!", 5), 5);
    wire_advance(&w, 1);
    cr_assert_eq(net_udp_recvfrom(w.stack[0], a, buf, sizeof buf, &ip, &port), 5);
    cr_assert(memcmp(buf, "pong!", 5) == 0);
    cr_assert_eq(ip, WIRE_B_IP);
    cr_assert_eq(port, 7);
    cr_assert_eq(net_udp_recvfrom(w.stack[0], a, buf, sizeof buf, &ip, &port), NET_E_AGAIN);
    cr_assert_eq(w.wakes[0], 1, "the reader woken once a datagram");
    cr_assert_eq(w.wakes[1], 1);
    wire_free(&w);
}

Test(net_udp, queues_are_bounded_and_reads_may_be_short)
{
    struct wire w;
    wire_init(&w, 61);
    int a = net_udp_open(w.stack[0], 0), b = net_udp_open(w.stack[1], 7);
    for (char i = 0; i < 10; i++) {
        char m[20] = "datagram number x";
        m[16] = (char)('0' + i);
        net_udp_sendto(w.stack[0], a, WIRE_B_IP, 7, m, 17);
        wire_advance(&w, 1);
    }
    cr_assert_eq(wire_counter(&w, 1, "udp_queue_full"), 10 - NET_UDP_QUEUE);
    char buf[8];
    for (int i = 0; i < NET_UDP_QUEUE; i++) {
        cr_assert_eq(net_udp_recvfrom(w.stack[1], b, buf, 8, 0, 0), 17, "the whole length");
        cr_assert(memcmp(buf, "datagram", 8) == 0);
    }
    cr_assert_eq(net_udp_recvfrom(w.stack[1], b, buf, 8, 0, 0), NET_E_AGAIN);
    wire_free(&w);
}

Test(net_udp, ports)
{
    struct wire w;
    wire_init(&w, 62);
    cr_assert_geq(net_udp_open(w.stack[0], 53), 0);
    cr_assert_eq(net_udp_open(w.stack[0], 53), NET_E_INUSE);
    int e1 = net_udp_open(w.stack[0], 0), e2 = net_udp_open(w.stack[0], 0);
    cr_assert_neq(net_udp_port(w.stack[0], e1), net_udp_port(w.stack[0], e2));
    cr_assert_geq(net_udp_port(w.stack[0], e1), 49152);
    for (int i = 3; i < NET_UDP_SOCKETS; i++)
        cr_assert_geq(net_udp_open(w.stack[0], 0), 0);
    cr_assert_eq(net_udp_open(w.stack[0], 0), NET_E_NOMEM);
    cr_assert_eq(net_udp_close(w.stack[0], e1), NET_OK);
    cr_assert_eq(net_udp_close(w.stack[0], e1), NET_E_INVAL);
    cr_assert_geq(net_udp_open(w.stack[0], 0), 0);
    cr_assert_eq(net_udp_sendto(w.stack[0], 99, WIRE_B_IP, 7, "x", 1), NET_E_INVAL);
    wire_free(&w);
}

Test(net_udp, checksums)
{
    struct wire w;
    wire_init(&w, 63);
    int a = net_udp_open(w.stack[0], 7);
    uint8_t f[1600];
    size_t n = fr_udp(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, 9, 7, "abc", 3);
    f[34 + 6] = f[34 + 7] = 0; /* no checksum: allowed */
    wire_inject(&w, 0, f, (uint32_t)n);
    n = fr_udp(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, 9, 7, "abc", 3);
    f[34 + 8] ^= 1; /* a payload bit flipped */
    wire_inject(&w, 0, f, (uint32_t)n);
    wire_deliver(&w);
    char buf[8];
    cr_assert_eq(net_udp_recvfrom(w.stack[0], a, buf, 8, 0, 0), 3);
    cr_assert_eq(net_udp_recvfrom(w.stack[0], a, buf, 8, 0, 0), NET_E_AGAIN);
    cr_assert_eq(wire_counter(&w, 0, "udp_bad_checksum"), 1);
    wire_free(&w);
}

/* The stack's own datagrams verified by the test's checksum code. */
static int checked;

static void check_udp(struct wire *w, const uint8_t *f, uint32_t len)
{
    (void)w;
    struct fr_parsed p;
    if (!fr_parse(f, len, &p) || p.proto != 17)
        return;
    const uint8_t *u = p.data - 8;
    uint32_t n = (uint32_t)p.len + 8;
    uint32_t pseudo = (p.src >> 16) + (p.src & 0xFFFF) + (p.dst >> 16) + (p.dst & 0xFFFF) + 17 + n;
    cr_assert_eq(fr_sum(u, n, pseudo), 0, "the stack's UDP checksum");
    cr_assert_eq(fr_sum(f + 14, 20, 0), 0, "the stack's IP checksum");
    cr_assert_eq(f[14 + 8], 64, "TTL");
    cr_assert_eq(f[14 + 6] & 0x40, 0x40, "DF: we never fragment");
    checked++;
}

Test(net_udp, what_we_send_carries_right_checksums)
{
    struct wire w;
    wire_init(&w, 64);
    wire_script_end(&w, 1, check_udp, NULL);
    uint8_t mac[6] = {0};
    net_arp_lookup(w.stack[0], WIRE_B_IP, mac);
    uint8_t f[1600]; /* B's MAC, told by a gratuitous reply to A */
    size_t n = fr_arp(f, wire_mac[0], wire_mac[1], 2, WIRE_B_IP, wire_mac[0], WIRE_A_IP);
    wire_inject(&w, 0, f, (uint32_t)n);
    wire_deliver(&w);
    int a = net_udp_open(w.stack[0], 0);
    checked = 0;
    for (uint32_t len = 0; len < 40; len++) /* odd and even lengths */
        net_udp_sendto(w.stack[0], a, WIRE_B_IP, 7, "0123456789012345678901234567890123456789",
                       len);
    wire_deliver(&w);
    cr_assert_eq(checked, 40);
    wire_free(&w);
}
