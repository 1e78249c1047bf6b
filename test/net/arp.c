/* ARP between two stacks: resolution on first use, the frame that waited
 * for it delivered, answers only for our address, entries expiring after
 * a minute, and requests retried then given up with NET_E_UNREACH. */
#include <criterion/criterion.h>
#include <string.h>

#include "frames.h"
#include "wire.h"

TestSuite(net_arp); /* no .timeout: Criterion 2.4 then leaks in its runner */

static int udp_arrived(struct wire *w, void *ctx)
{
    uint8_t buf[64];
    return net_udp_recvfrom(w->stack[1], *(int *)ctx, buf, sizeof buf, 0, 0) == 5;
}

Test(net_arp, resolves_and_delivers_the_waiting_datagram)
{
    struct wire w;
    wire_init(&w, 1);
    uint8_t mac[6];
    cr_assert_eq(net_arp_lookup(w.stack[0], WIRE_B_IP, mac), NET_E_AGAIN);
    int a = net_udp_open(w.stack[0], 0), b = net_udp_open(w.stack[1], 7);
    cr_assert_eq(net_udp_sendto(w.stack[0], a, WIRE_B_IP, 7, "hello", 5), 5);
    cr_assert(wire_until(&w, udp_arrived, &b, 10));
    cr_assert_eq(net_arp_lookup(w.stack[0], WIRE_B_IP, mac), NET_OK);
    cr_assert(memcmp(mac, wire_mac[1], 6) == 0);
    /* B learned A from the request aimed at it */
    cr_assert_eq(net_arp_lookup(w.stack[1], WIRE_A_IP, mac), NET_OK);
    cr_assert(memcmp(mac, wire_mac[0], 6) == 0);
    cr_assert_eq(wire_counter(&w, 0, "arp_requests"), 1);
    cr_assert_eq(wire_counter(&w, 1, "arp_replies"), 1);
    /* a second datagram needs no request */
    net_udp_sendto(w.stack[0], a, WIRE_B_IP, 7, "again", 5);
    cr_assert(wire_until(&w, udp_arrived, &b, 10));
    cr_assert_eq(wire_counter(&w, 0, "arp_requests"), 1);
    wire_free(&w);
}

Test(net_arp, entries_expire_after_a_minute)
{
    struct wire w;
    wire_init(&w, 2);
    uint8_t mac[6];
    int a = net_udp_open(w.stack[0], 0), b = net_udp_open(w.stack[1], 7);
    net_udp_sendto(w.stack[0], a, WIRE_B_IP, 7, "hello", 5);
    cr_assert(wire_until(&w, udp_arrived, &b, 10));
    wire_advance(&w, 59000);
    cr_assert_eq(net_arp_lookup(w.stack[0], WIRE_B_IP, mac), NET_OK);
    wire_advance(&w, 1100);
    cr_assert_eq(net_arp_lookup(w.stack[0], WIRE_B_IP, mac), NET_E_AGAIN);
    net_udp_sendto(w.stack[0], a, WIRE_B_IP, 7, "later", 5);
    cr_assert(wire_until(&w, udp_arrived, &b, 10));
    cr_assert_eq(wire_counter(&w, 0, "arp_requests"), 2);
    wire_free(&w);
}

Test(net_arp, unanswered_requests_give_up_with_unreach)
{
    struct wire w;
    wire_init(&w, 3);
    uint32_t nobody = NET_IP(10, 0, 2, 99);
    int a = net_udp_open(w.stack[0], 0);
    cr_assert_eq(net_udp_sendto(w.stack[0], a, nobody, 7, "x", 1), 1);
    int c = net_tcp_connect(w.stack[0], nobody, 80);
    wire_advance(&w, 2500);
    cr_assert_eq(wire_counter(&w, 0, "arp_requests"), 3, "retried every second");
    cr_assert_eq(net_tcp_state(w.stack[0], c), NET_TCP_SYN_SENT);
    wire_advance(&w, 600);
    cr_assert_eq(wire_counter(&w, 0, "arp_unresolved"), 1);
    cr_assert_eq(net_tcp_error(w.stack[0], c), NET_E_UNREACH);
    cr_assert_eq(net_udp_sendto(w.stack[0], a, nobody, 7, "x", 1), NET_E_UNREACH);
    wire_advance(&w, 5000); /* then it may be tried again */
    cr_assert_eq(net_udp_sendto(w.stack[0], a, nobody, 7, "x", 1), 1);
    cr_assert_eq(wire_counter(&w, 0, "arp_requests"), 4);
    wire_free(&w);
}

/* A script end that records the frames it gets. */
static uint8_t seen[16][1600];
static uint32_t seen_len[16];
static int nseen;

static void record(struct wire *w, const uint8_t *f, uint32_t len)
{
    (void)w;
    if (nseen < 16) {
        memcpy(seen[nseen], f, len);
        seen_len[nseen++] = len;
    }
}

Test(net_arp, answers_only_for_its_address)
{
    struct wire w;
    wire_init(&w, 4);
    wire_script_end(&w, 1, record, NULL);
    nseen = 0;
    static const uint8_t all[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, none[6];
    uint8_t f[1600];
    size_t n = fr_arp(f, all, wire_mac[1], 1, WIRE_B_IP, none, NET_IP(10, 0, 2, 77));
    wire_inject(&w, 0, f, (uint32_t)n);
    wire_deliver(&w);
    cr_assert_eq(nseen, 0);
    cr_assert_eq(wire_counter(&w, 0, "arp_not_for_us"), 1);
    n = fr_arp(f, all, wire_mac[1], 1, WIRE_B_IP, none, WIRE_A_IP);
    wire_inject(&w, 0, f, (uint32_t)n);
    wire_deliver(&w);
    cr_assert_eq(nseen, 1);
    struct fr_parsed p;
    cr_assert(fr_parse(seen[0], seen_len[0], &p));
    cr_assert_eq(p.arp_op, 2);
    cr_assert_eq(p.src, WIRE_A_IP);
    cr_assert_eq(p.dst, WIRE_B_IP);
    cr_assert(memcmp(seen[0], wire_mac[1], 6) == 0, "unicast to the asker");
    cr_assert(memcmp(seen[0] + 14 + 8, wire_mac[0], 6) == 0, "our MAC in the answer");
    wire_free(&w);
}
