// TCP input: the segment's header checked (length, data offset, checksum
// over the pseudo header), then handed to its connection, to a listener
// (a SYN makes a half-open child, within the backlog), or answered with a
// reset. Synchronized states continue in net_tcp_seg.c.
#include "net_internal.h"

enum { FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10 };

// The peer's MSS option from a SYN, each option's length checked against
// the header's end; 536 without one.
static uint16_t tcp_peer_mss(const uint8_t *opt, uint32_t len)
{
    uint32_t i = 0;
    while (i < len && opt[i] != 0) {
        if (opt[i] == 1) { // no-op
            i++;
            continue;
        }
        if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
            break;
        if (opt[i] == 2 && opt[i + 1] == 4) {
            uint16_t mss = net_get16(opt + i + 2);
            return mss < 64 ? 64 : mss > NET_TCP_MSS ? NET_TCP_MSS : mss;
        }
        i += opt[i + 1];
    }
    return 536;
}

// How many children of listener L are not yet accepted, and the oldest
// still half-open.
static unsigned tcp_children(struct net_stack *s, int l, struct net_tcp_conn **oldest)
{
    unsigned n = 0;
    *oldest = 0;
    for (int i = 0; i < NET_TCP_CONNS; i++) {
        struct net_tcp_conn *c = &s->tcp[i];
        if (c->parent != l || c->state == NET_TCP_CLOSED)
            continue;
        n++;
        if (c->state == NET_TCP_SYN_RCVD && (!*oldest || c->born < (*oldest)->born))
            *oldest = c;
    }
    return n;
}

// A SYN for listener L. A full backlog makes room by dropping its oldest
// half-open child, so a flood of SYNs from nowhere cannot keep a real
// client out for long, and never takes more than the backlog's slots.
static void tcp_listen_input(struct net_stack *s, struct net_tcp_conn *l,
                             const struct net_tcp_seg_in *g)
{
    int li = net_tcp_handle(s, l);
    struct net_tcp_conn *oldest;
    if (tcp_children(s, li, &oldest) >= l->backlog) {
        NET_COUNT(s, tcp_syn_flood);
        if (!oldest)
            return;
        net_tcp_closed(s, oldest);
    }
    struct net_tcp_conn *c = net_tcp_alloc(s);
    if (!c) {
        NET_COUNT(s, tcp_syn_flood);
        return;
    }
    c->remote_ip = g->src;
    c->remote_port = g->sport;
    c->local_port = g->dport;
    c->parent = (int8_t)li;
    net_tcp_open(s, c, NET_TCP_SYN_RCVD);
    c->rcv_nxt = g->seq + 1;
    c->snd_wnd = g->wnd;
    c->peer_mss = tcp_peer_mss(g->opt, g->opt_len);
    net_tcp_output(s, c);
}

// SYN_SENT: our SYN answered by a SYN-ACK (established), a reset
// (refused), or a bare SYN (simultaneous open).
static void tcp_syn_sent_input(struct net_stack *s, struct net_tcp_conn *c,
                               const struct net_tcp_seg_in *g)
{
    int ack_ok = (g->flags & ACK) && net_seq_lt(c->iss, g->ack) && net_seq_le(g->ack, c->snd_max);
    if ((g->flags & ACK) && !ack_ok) {
        if (!(g->flags & RST))
            net_tcp_reply_rst(s, g->src, g->dst, g->hdr, g->seg_len);
        return;
    }
    if (g->flags & RST) {
        if (ack_ok) {
            NET_COUNT(s, tcp_resets_received);
            net_tcp_fail(s, c, NET_E_RESET);
        }
        return;
    }
    if (!(g->flags & SYN))
        return;
    c->rcv_nxt = g->seq + 1;
    c->snd_wnd = g->wnd;
    c->peer_mss = tcp_peer_mss(g->opt, g->opt_len);
    c->ack_now = 1;
    if (ack_ok) {
        net_tcp_acked(s, c, g->ack);
        c->state = NET_TCP_ESTABLISHED;
    } else {
        c->state = NET_TCP_SYN_RCVD;
        c->snd_nxt = c->iss; // our SYN again, with its ACK
    }
    net_tcp_output(s, c);
}

// Header checks, each counted; fills G and returns 1 if the segment is sound.
static int tcp_parse(struct net_stack *s, uint32_t src, uint32_t dst, const uint8_t *p,
                     uint32_t len, struct net_tcp_seg_in *g)
{
    if (len < 20)
        return NET_COUNT(s, tcp_truncated), 0;
    uint32_t off = (uint32_t)(p[12] >> 4) * 4;
    if (off < 20 || off > len)
        return NET_COUNT(s, tcp_bad_offset), 0;
    if (net_sum_fold(net_sum_add(net_sum_pseudo(src, dst, NET_PROTO_TCP, len), p, len)) != 0)
        return NET_COUNT(s, tcp_bad_checksum), 0;
    *g = (struct net_tcp_seg_in){
        .src = src,
        .dst = dst,
        .hdr = p,
        .sport = net_get16(p),
        .dport = net_get16(p + 2),
        .seq = net_get32(p + 4),
        .ack = net_get32(p + 8),
        .flags = p[13],
        .wnd = net_get16(p + 14),
        .opt = p + 20,
        .opt_len = off - 20,
        .data = p + off,
        .len = len - off,
    };
    g->seg_len = g->len + !!(g->flags & SYN) + !!(g->flags & FIN);
    return 1;
}

void net_tcp_input(struct net_stack *s, uint32_t src, uint32_t dst, const uint8_t *p, uint32_t len)
{
    struct net_tcp_seg_in g;
    if (!tcp_parse(s, src, dst, p, len, &g))
        return;
    if (net_ip_is_broadcast(s, dst) || !s->ip)
        return (void)NET_COUNT(s, tcp_no_connection);
    struct net_tcp_conn *c = net_tcp_lookup(s, src, g.sport, g.dport);
    if (c && c->state == NET_TCP_SYN_SENT)
        return tcp_syn_sent_input(s, c, &g);
    if (c)
        return net_tcp_segment_input(s, c, &g);
    struct net_tcp_conn *l = net_tcp_listener(s, g.dport);
    if (l && (g.flags & (SYN | RST | ACK)) == SYN)
        return tcp_listen_input(s, l, &g);
    if (l && !(g.flags & ACK))
        return; // RST or nothing: ignored by a listener
    NET_COUNT(s, tcp_no_connection);
    if (!(g.flags & RST))
        net_tcp_reply_rst(s, src, dst, p, g.seg_len);
}
