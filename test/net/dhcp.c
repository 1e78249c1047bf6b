/* The DHCP client against a fake server scripted here from RFC 2131 (its
 * messages built by the test, not by the stack): the whole exchange and
 * the lease it configures, retries when the server is slow, a NAK that
 * starts over, replies for someone else ignored, and giving up. */
#include <criterion/criterion.h>
#include <string.h>

#include "frames.h"
#include "wire.h"

TestSuite(net_dhcp); /* no .timeout: Criterion 2.4 then leaks in its runner */

#define SERVER NET_IP(10, 0, 2, 2)
#define OFFER  NET_IP(10, 0, 2, 15)

struct server {
    unsigned discovers, requests; /* seen */
    unsigned ignore;              /* messages left unanswered first */
    int nak_first, wrong_xid, silent;
    int ack_other; /* the first ACK for an address not offered */
    int cut_mask;  /* the ACK ends inside its netmask option */
};

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Option CODE of the message's options, or NULL. */
static const uint8_t *option(const uint8_t *m, size_t len, uint8_t code)
{
    for (size_t i = 240; i + 1 < len && m[i] != 255; i += m[i] ? 2u + m[i + 1] : 1u)
        if (m[i] == code)
            return m + i + 2;
    return NULL;
}

/* A reply of TYPE to REQ giving 10.0.2.HOST; BAD_XID: for another
 * transaction. */
static void reply(struct wire *w, const uint8_t *req, uint8_t type, int bad_xid, uint8_t host)
{
    uint8_t m[300] = {2, 1, 6, 0};
    memcpy(m + 4, req + 4, 4); /* xid */
    if (bad_xid)
        m[4] ^= 0xFF;
    const uint8_t yiaddr[4] = {10, 0, 2, host}, siaddr[4] = {10, 0, 2, 2};
    memcpy(m + 16, yiaddr, 4);
    memcpy(m + 20, siaddr, 4);
    memcpy(m + 28, req + 28, 16); /* chaddr */
    const uint8_t opts[] = {99, 130, 83,  99,  53,  1,  type, 54, 4,  10, 0,   2,  2,
                            1,  4,   255, 255, 255, 0,  3,    4,  10, 0,  2,   2,  6,
                            4,  10,  0,   2,   3,   51, 4,    0,  1,  81, 128, 255};
    memcpy(m + 236, opts, sizeof opts);
    size_t len = sizeof m;
    if (!host) { /* the same ACK ending after two bytes of its netmask */
        static const uint8_t cut[] = {99, 130, 83, 99, 53, 1,  5,   54, 4, 10,  0,  2,
                                      2,  51,  4,  0,  1,  81, 128, 1,  4, 255, 255};
        m[19] = 15;
        memcpy(m + 236, cut, sizeof cut);
        len = 236 + sizeof cut;
    }
    static const uint8_t all[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    uint8_t f[1600];
    size_t n = fr_udp(f, all, wire_mac[1], SERVER, 0xFFFFFFFFu, 67, 68, m, len);
    wire_inject(w, 0, f, (uint32_t)n);
}

/* Checks what the client sent as RFC 2131 says, then answers. */
static void dhcp_server(struct wire *w, const uint8_t *f, uint32_t len)
{
    struct server *sv = w->script_ctx;
    struct fr_parsed p;
    if (wire_script_arp(w, f, len, SERVER) || !fr_parse(f, len, &p) || p.proto != 17)
        return; /* (the ping's answer) */
    cr_assert_eq(p.dport, 67);
    cr_assert_eq(p.sport, 68);
    cr_assert_eq(p.src, 0, "from 0.0.0.0");
    cr_assert_eq(p.dst, 0xFFFFFFFFu);
    const uint8_t *m = p.data;
    cr_assert_geq(p.len, 244);
    cr_assert_eq(m[0], 1);
    cr_assert(memcmp(m + 28, wire_mac[0], 6) == 0, "chaddr");
    cr_assert_eq(get32(m + 236), 0x63825363u, "magic cookie");
    const uint8_t *type = option(m, p.len, 53);
    cr_assert(type);
    if (type[0] == 1)
        sv->discovers++;
    else
        sv->requests++;
    if (sv->silent || (sv->ignore && sv->ignore--))
        return;
    if (type[0] == 1) {
        if (sv->wrong_xid) /* a better offer, but not for us */
            reply(w, m, 2, 1, 99);
        reply(w, m, 2, 0, 15);
        return;
    }
    cr_assert_eq(type[0], 3);
    cr_assert(option(m, p.len, 50) && get32(option(m, p.len, 50)) == OFFER, "requested address");
    cr_assert(option(m, p.len, 54) && get32(option(m, p.len, 54)) == SERVER, "server id");
    if (sv->nak_first) {
        sv->nak_first = 0;
        reply(w, m, 6, 0, 15);
        return;
    }
    if (sv->ack_other) { /* not what it asked for: ignored, asked again */
        sv->ack_other = 0;
        reply(w, m, 5, 0, 98);
        return;
    }
    reply(w, m, 5, 0, sv->cut_mask ? 0 : 15);
}

static int leased(struct wire *w, void *ctx)
{
    return net_dhcp_poll(w->stack[0], ctx) != NET_E_AGAIN;
}

static void run(struct server *sv, unsigned ms, struct net_lease *lease, struct wire *w)
{
    wire_init(w, 80);
    wire_script_end(w, 1, dhcp_server, sv);
    net_configure(w->stack[0], 0, 0, 0);
    cr_assert_eq(net_dhcp_poll(w->stack[0], lease), NET_E_INVAL);
    cr_assert_eq(net_dhcp_start(w->stack[0]), NET_OK);
    wire_until(w, leased, lease, ms);
}

static void expect_lease(struct wire *w, const struct net_lease *l)
{
    cr_assert_eq(net_dhcp_poll(w->stack[0], (struct net_lease *)l), NET_OK);
    cr_assert_eq(l->ip, OFFER);
    cr_assert_eq(l->netmask, NET_IP(255, 255, 255, 0));
    cr_assert_eq(l->router, SERVER);
    cr_assert_eq(l->server, SERVER);
    cr_assert_eq(l->seconds, 86400);
    cr_assert_eq(w->stack[0]->ip, OFFER, "the stack configured");
    cr_assert_eq(w->stack[0]->router, SERVER);
}

Test(net_dhcp, discover_offer_request_ack)
{
    struct server sv = {0};
    struct net_lease l;
    struct wire w;
    run(&sv, 100, &l, &w);
    expect_lease(&w, &l);
    cr_assert_eq(sv.discovers, 1);
    cr_assert_eq(sv.requests, 1);
    /* configured: it now answers pings at its new address */
    uint8_t f[1600];
    size_t n = fr_icmp(f, wire_mac[0], wire_mac[1], SERVER, OFFER, 8, 1, 1, "hi", 2);
    wire_inject(&w, 0, f, (uint32_t)n);
    wire_deliver(&w);
    cr_assert_eq(wire_counter(&w, 0, "icmp_echo_answered"), 1);
    wire_free(&w);
}

Test(net_dhcp, retries_a_slow_server)
{
    struct server sv = {.ignore = 1}; /* the first DISCOVER unanswered */
    struct net_lease l;
    struct wire w;
    run(&sv, 10000, &l, &w);
    expect_lease(&w, &l);
    cr_assert_eq(sv.discovers, 2);
    wire_free(&w);
}

Test(net_dhcp, a_nak_starts_over)
{
    struct server sv = {.nak_first = 1};
    struct net_lease l;
    struct wire w;
    run(&sv, 10000, &l, &w);
    expect_lease(&w, &l);
    cr_assert_eq(sv.discovers, 2);
    cr_assert_eq(sv.requests, 2);
    wire_free(&w);
}

Test(net_dhcp, replies_to_other_transactions_are_ignored)
{
    struct server sv = {.wrong_xid = 1};
    struct net_lease l;
    struct wire w;
    run(&sv, 100, &l, &w);
    expect_lease(&w, &l);
    cr_assert_eq(wire_counter(&w, 0, "dhcp_ignored"), 1);
    wire_free(&w);
}

Test(net_dhcp, an_ack_for_another_address_is_ignored)
{
    struct server sv = {.ack_other = 1};
    struct net_lease l;
    struct wire w;
    run(&sv, 10000, &l, &w);
    expect_lease(&w, &l);
    cr_assert_eq(sv.requests, 2);
    cr_assert_eq(wire_counter(&w, 0, "dhcp_ignored"), 1);
    wire_free(&w);
}

Test(net_dhcp, an_option_cut_short_is_not_read)
{
    struct server sv = {.cut_mask = 1};
    struct net_lease l;
    struct wire w;
    run(&sv, 100, &l, &w);
    cr_assert_eq(net_dhcp_poll(w.stack[0], &l), NET_OK);
    cr_assert_eq(l.ip, OFFER);
    cr_assert_eq(l.netmask, NET_IP(255, 255, 255, 0), "the default, not 255.255.x.x");
    cr_assert_eq(l.router, 0, "none given");
    wire_free(&w);
}

Test(net_dhcp, gives_up_on_silence)
{
    struct server sv = {.silent = 1};
    struct net_lease l;
    struct wire w;
    run(&sv, 60000, &l, &w);
    cr_assert_eq(net_dhcp_poll(w.stack[0], &l), NET_E_TIMEDOUT);
    cr_assert_eq(sv.discovers, NET_DHCP_TRIES);
    cr_assert_eq(w.stack[0]->ip, 0);
    wire_free(&w);
}
