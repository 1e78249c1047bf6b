/* IPv4 and ICMP between two stacks: pings both ways with their round
 * trip from the fake clock, replies matched by id and sequence, routing
 * through the default router, and datagrams too big for one frame. */
#include <criterion/criterion.h>

#include "frames.h"
#include "wire.h"

TestSuite(net_ip); /* no .timeout: Criterion 2.4 then leaks in its runner */

struct ping_wait {
    int end, h;
    uint32_t rtt;
};

static int pinged(struct wire *w, void *ctx)
{
    struct ping_wait *p = ctx;
    return net_ping_poll(w->stack[p->end], p->h, &p->rtt) == NET_OK;
}

Test(net_ip, ping_both_ways_with_the_round_trip)
{
    struct wire w;
    wire_init(&w, 50);
    w.delay_ms = 7;
    for (int end = 0; end < 2; end++) {
        uint32_t to = end ? WIRE_A_IP : WIRE_B_IP;
        struct ping_wait p = {end, net_ping_start(w.stack[end], to, 0x77, 1, 56), 0};
        cr_assert_geq(p.h, 0);
        cr_assert(wire_until(&w, pinged, &p, 1000));
        /* the first also waits for ARP's round trip */
        cr_assert_eq(p.rtt, end ? 14 : 28, "end %d: rtt %u", end, p.rtt);
        net_ping_free(w.stack[end], p.h);
        p.h = net_ping_start(w.stack[end], to, 0x77, 2, 1000);
        cr_assert(wire_until(&w, pinged, &p, 1000));
        cr_assert_eq(p.rtt, 14);
        net_ping_free(w.stack[end], p.h);
        cr_assert_eq(wire_counter(&w, !end, "icmp_echo_answered"), 2);
    }
    wire_free(&w);
}

Test(net_ip, a_reply_must_match_id_and_sequence)
{
    struct wire w;
    wire_init(&w, 51);
    w.delay_ms = 5;
    int h = net_ping_start(w.stack[0], WIRE_B_IP, 9, 100, 8);
    uint8_t f[1600];
    const uint8_t data[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    size_t n = fr_icmp(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, 0, 9, 101, data, 8);
    wire_inject(&w, 0, f, (uint32_t)n);
    n = fr_icmp(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, 0, 10, 100, data, 8);
    wire_inject(&w, 0, f, (uint32_t)n);
    n = fr_icmp(f, wire_mac[0], wire_mac[1], NET_IP(10, 0, 2, 3), WIRE_A_IP, 0, 9, 100, data, 8);
    wire_inject(&w, 0, f, (uint32_t)n);
    wire_advance(&w, 6); /* they arrive first (the real one needs ARP) */
    uint32_t rtt;
    cr_assert_eq(net_ping_poll(w.stack[0], h, &rtt), NET_E_AGAIN);
    cr_assert_eq(wire_counter(&w, 0, "icmp_ignored"), 3);
    wire_advance(&w, 50);
    cr_assert_eq(net_ping_poll(w.stack[0], h, &rtt), NET_OK);
    wire_free(&w);
}

Test(net_ip, off_subnet_goes_through_the_router)
{
    struct wire w;
    wire_init(&w, 52);
    net_configure(w.stack[0], WIRE_A_IP, WIRE_MASK, WIRE_B_IP);
    int u = net_udp_open(w.stack[0], 0);
    cr_assert_eq(net_udp_sendto(w.stack[0], u, NET_IP(8, 8, 8, 8), 53, "q", 1), 1);
    wire_advance(&w, 10);
    cr_assert_eq(wire_counter(&w, 1, "ip_not_for_us"), 1, "B got it (and routes nothing)");
    uint8_t mac[6];
    cr_assert_eq(net_arp_lookup(w.stack[0], WIRE_B_IP, mac), NET_OK);
    wire_free(&w);
}

Test(net_ip, no_fragments_are_sent)
{
    struct wire w;
    wire_init(&w, 53);
    int u = net_udp_open(w.stack[0], 0);
    static uint8_t big[1473];
    cr_assert_eq(net_udp_sendto(w.stack[0], u, WIRE_B_IP, 9, big, 1473), NET_E_MSGSIZE);
    cr_assert_eq(net_ping_start(w.stack[0], WIRE_B_IP, 1, 1, 1473), NET_E_MSGSIZE);
    int b = net_udp_open(w.stack[1], 9);
    cr_assert_eq(net_udp_sendto(w.stack[0], u, WIRE_B_IP, 9, big, 1472), 1472);
    wire_advance(&w, 10);
    cr_assert_eq(net_udp_recvfrom(w.stack[1], b, big, sizeof big, 0, 0), 1472);
    wire_free(&w);
}
