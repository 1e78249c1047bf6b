// TCP output: building segments, sending what the peer's window allows
// from the send ring (no Nagle: whatever is queued goes at once), our FIN
// after the last byte, acknowledgments and resets.
#include "net_internal.h"

#define TCP_HLEN       20
#define TCP_MSS_OPTION 4

enum { FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10 };

// What we announce: the receive ring's free space (so the window's right
// edge never moves left: data taken in shrinks both ends alike).
uint32_t net_tcp_window(const struct net_tcp_conn *c)
{
    uint32_t w = net_ring_free(&c->rcv);
    return w > 0xFFFF ? 0xFFFF : w;
}

struct tcp_seg {
    uint32_t dst;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t window;
    uint32_t len; // data bytes, already at their place in tx
};

// The header in front of data already in tx (after the MSS option if
// SYN), the checksum, and IP.
static int tcp_emit(struct net_stack *s, const struct tcp_seg *g)
{
    uint8_t *t = s->tx + NET_TX_PAYLOAD;
    uint32_t hlen = TCP_HLEN + (g->flags & SYN ? TCP_MSS_OPTION : 0);
    net_put16(t, g->sport);
    net_put16(t + 2, g->dport);
    net_put32(t + 4, g->seq);
    net_put32(t + 8, g->ack);
    t[12] = (uint8_t)(hlen / 4 << 4);
    t[13] = g->flags;
    net_put16(t + 14, g->window);
    net_put32(t + 16, 0); // checksum, urgent pointer
    if (g->flags & SYN) {
        t[20] = 2; // MSS
        t[21] = 4;
        net_put16(t + 22, NET_TCP_MSS);
    }
    uint32_t n = hlen + g->len;
    uint32_t sum = net_sum_pseudo(s->ip, g->dst, NET_PROTO_TCP, n);
    net_put16(t + 16, net_sum_fold(net_sum_add(sum, t, n)));
    return net_ip_output(s, g->dst, NET_PROTO_TCP, n);
}

// One segment of C's: FLAGS, and LEN bytes of the send ring from SEQ.
static void tcp_segment(struct net_stack *s, struct net_tcp_conn *c, uint32_t seq, uint8_t flags,
                        uint32_t len)
{
    uint32_t hlen = TCP_HLEN + (flags & SYN ? TCP_MSS_OPTION : 0);
    if (len)
        net_ring_peek(&c->snd, seq - c->data_seq, s->tx + NET_TX_PAYLOAD + hlen, len);
    if (c->state != NET_TCP_SYN_SENT)
        flags |= ACK;
    struct tcp_seg g = {c->remote_ip,
                        c->local_port,
                        c->remote_port,
                        seq,
                        c->rcv_nxt,
                        flags,
                        (uint16_t)net_tcp_window(c),
                        len};
    c->rcv_adv = c->rcv_nxt + g.window;
    c->ack_now = 0;
    if (!c->timing && len && seq == c->snd_max) { // new data: time it (Karn)
        c->timing = 1;
        c->timed_seq = seq;
        c->timed_at = s->now;
    }
    if (tcp_emit(s, &g) == NET_E_UNREACH && c->state == NET_TCP_SYN_SENT)
        net_tcp_fail(s, c, NET_E_UNREACH);
}

// Sends the next LEN bytes of C's ring at snd_nxt (a probe sends one
// without moving snd_nxt: net_tcp_timer.c).
void net_tcp_send_bytes(struct net_stack *s, struct net_tcp_conn *c, uint32_t len)
{
    tcp_segment(s, c, c->snd_nxt, PSH, len);
}

static int tcp_may_send_data(const struct net_tcp_conn *c)
{
    return c->state == NET_TCP_ESTABLISHED || c->state == NET_TCP_CLOSE_WAIT ||
           c->state == NET_TCP_FIN_WAIT_1 || c->state == NET_TCP_CLOSING ||
           c->state == NET_TCP_LAST_ACK;
}

// The data the window allows from snd_nxt, in segments of at most the
// peer's MSS; returns whether anything went.
static int tcp_send_data(struct net_stack *s, struct net_tcp_conn *c)
{
    int sent = 0;
    for (;;) {
        uint32_t off = c->snd_nxt - c->data_seq;
        uint32_t edge = c->snd_una + c->snd_wnd;
        uint32_t room = net_seq_lt(c->snd_nxt, edge) ? edge - c->snd_nxt : 0;
        uint32_t n = off < c->snd.len ? c->snd.len - off : 0;
        n = n < room ? n : room;
        n = n < c->peer_mss ? n : c->peer_mss;
        if (!n)
            return sent;
        tcp_segment(s, c, c->snd_nxt, PSH, n);
        c->snd_nxt += n;
        if (net_seq_lt(c->snd_max, c->snd_nxt))
            c->snd_max = c->snd_nxt;
        sent = 1;
    }
}

// Everything C may send now: its SYN, data, FIN, or else a due ACK.
void net_tcp_output(struct net_stack *s, struct net_tcp_conn *c)
{
    int sent = 0;
    int opening = c->state == NET_TCP_SYN_SENT || c->state == NET_TCP_SYN_RCVD;
    if (opening && c->snd_nxt == c->iss) {
        tcp_segment(s, c, c->iss, SYN, 0);
        c->snd_nxt = c->iss + 1;
        sent = 1;
    }
    if (tcp_may_send_data(c)) {
        sent |= tcp_send_data(s, c);
        uint32_t fin_seq = c->data_seq + c->snd.len;
        if (c->fin_queued && c->snd_nxt == fin_seq) {
            tcp_segment(s, c, fin_seq, FIN, 0);
            c->snd_nxt = fin_seq + 1;
            sent = 1;
        }
    }
    if (net_seq_lt(c->snd_max, c->snd_nxt))
        c->snd_max = c->snd_nxt;
    if (!sent && c->ack_now && c->state != NET_TCP_CLOSED)
        net_tcp_send_ack(s, c);
    net_tcp_arm(s, c);
}

void net_tcp_send_ack(struct net_stack *s, struct net_tcp_conn *c)
{
    tcp_segment(s, c, c->snd_nxt, 0, 0);
}

// Our reset of C (an abort, or giving up): at snd_nxt, which the peer
// finds in its window.
void net_tcp_send_rst(struct net_stack *s, struct net_tcp_conn *c)
{
    struct tcp_seg g = {c->remote_ip, c->local_port, c->remote_port, c->snd_nxt, 0, RST, 0, 0};
    NET_COUNT(s, tcp_resets_sent);
    tcp_emit(s, &g);
}

// The reset answering segment HDR (SEG_LEN: its data plus SYN and FIN)
// that no connection takes (RFC 793, "Reset Generation"): at its ACK if it
// has one, else at 0 acknowledging it.
void net_tcp_reply_rst(struct net_stack *s, uint32_t src, uint32_t dst, const uint8_t *hdr,
                       uint32_t seg_len)
{
    (void)dst;
    struct tcp_seg g = {src, net_get16(hdr + 2), net_get16(hdr), 0, 0, RST, 0, 0};
    if (hdr[13] & ACK) {
        g.seq = net_get32(hdr + 8);
    } else {
        g.ack = net_get32(hdr + 4) + seg_len;
        g.flags |= ACK;
    }
    NET_COUNT(s, tcp_resets_sent);
    tcp_emit(s, &g);
}
