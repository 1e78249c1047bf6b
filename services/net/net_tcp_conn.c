// TCP connections as a pool: allocation, lookup by the segment's
// addresses, and the ways a connection ends (closed normally, failed, or
// unreachable). A slot is free when CLOSED and no caller holds it.
#include "net_internal.h"

#define TCP_RTO_INIT 1000

int net_tcp_handle(const struct net_stack *s, const struct net_tcp_conn *c)
{
    return (int)(c - s->tcp);
}

static int tcp_free(const struct net_tcp_conn *c)
{
    return c->state == NET_TCP_CLOSED && !c->owned;
}

// A zeroed free slot, or NULL.
struct net_tcp_conn *net_tcp_alloc(struct net_stack *s)
{
    for (int i = 0; i < NET_TCP_CONNS; i++) {
        struct net_tcp_conn *c = &s->tcp[i];
        if (tcp_free(c)) {
            memset(c, 0, sizeof *c);
            c->parent = -1;
            return c;
        }
    }
    return 0;
}

// Sequence numbers and timers of a new connection entering STATE
// (SYN_SENT or SYN_RCVD) with the remote end already set.
void net_tcp_open(struct net_stack *s, struct net_tcp_conn *c, uint8_t state)
{
    c->state = state;
    c->local_ip = s->ip;
    c->iss = net_random(s);
    c->snd_una = c->snd_nxt = c->snd_max = c->iss;
    c->data_seq = c->iss + 1;
    c->rto = TCP_RTO_INIT;
    c->persist_ms = TCP_RTO_INIT;
    c->peer_mss = 536; // RFC 1122's default until the SYN says more
    c->born = s->now;
}

// The connection for a segment from SRC:SPORT to our DPORT, if any.
struct net_tcp_conn *net_tcp_lookup(struct net_stack *s, uint32_t src, uint16_t sport,
                                    uint16_t dport)
{
    for (int i = 0; i < NET_TCP_CONNS; i++) {
        struct net_tcp_conn *c = &s->tcp[i];
        if (c->state > NET_TCP_LISTEN && c->remote_ip == src && c->remote_port == sport &&
            c->local_port == dport)
            return c;
    }
    return 0;
}

struct net_tcp_conn *net_tcp_listener(struct net_stack *s, uint16_t port)
{
    for (int i = 0; i < NET_TCP_CONNS; i++)
        if (s->tcp[i].state == NET_TCP_LISTEN && s->tcp[i].local_port == port)
            return &s->tcp[i];
    return 0;
}

// The end of a connection: no timers, and the slot free unless a caller
// holds it (who then reads what is left, and its error).
void net_tcp_closed(struct net_stack *s, struct net_tcp_conn *c)
{
    c->state = NET_TCP_CLOSED;
    c->rtx_deadline = c->persist_deadline = c->wait_deadline = 0;
    if (c->owned)
        net_wake(s, NET_KIND_TCP, net_tcp_handle(s, c));
}

void net_tcp_fail(struct net_stack *s, struct net_tcp_conn *c, int error)
{
    c->error = (int8_t)error;
    net_tcp_closed(s, c);
}

// ARP gave up on IP: connections still opening to it fail now rather than
// after all their SYN retransmissions.
void net_tcp_unreachable(struct net_stack *s, uint32_t ip)
{
    for (int i = 0; i < NET_TCP_CONNS; i++) {
        struct net_tcp_conn *c = &s->tcp[i];
        if (c->state == NET_TCP_SYN_SENT && (c->remote_ip == ip || s->router == ip))
            net_tcp_fail(s, c, NET_E_UNREACH);
    }
}
