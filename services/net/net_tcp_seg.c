// TCP input for synchronized connections (SYN_RCVD onwards), in RFC 793's
// order: is the segment in our window, a reset, a stray SYN, what it
// acknowledges, its data, its FIN. Data must arrive in order: a segment
// beyond rcv_nxt is dropped (and acknowledged, so the sender learns where
// we are) rather than held; the sender's go-back-N fills the gap.
#include "net_internal.h"

enum { FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10 };

// RFC 793's four cases of acceptability against our receive window.
static int tcp_acceptable(const struct net_tcp_conn *c, const struct net_tcp_seg_in *g)
{
    uint32_t wnd = net_tcp_window(c);
    uint32_t end = c->rcv_nxt + wnd;
    int starts_in = net_seq_le(c->rcv_nxt, g->seq) && net_seq_lt(g->seq, end);
    if (g->seg_len == 0)
        return wnd == 0 ? g->seq == c->rcv_nxt : starts_in;
    if (wnd == 0)
        return 0;
    uint32_t last = g->seq + g->seg_len - 1;
    return starts_in || (net_seq_le(c->rcv_nxt, last) && net_seq_lt(last, end));
}

// A sound ACK moves snd_una and maybe the state; the window is taken from
// every segment that acknowledges at least snd_una. Returns 0 if the
// segment must go no further.
static int tcp_ack_input(struct net_stack *s, struct net_tcp_conn *c,
                         const struct net_tcp_seg_in *g)
{
    if (net_seq_lt(c->snd_max, g->ack)) { // acknowledges what we never sent
        NET_COUNT(s, tcp_bad_ack);
        net_tcp_send_ack(s, c);
        return 0;
    }
    if (c->state == NET_TCP_SYN_RCVD) {
        if (!net_seq_lt(c->snd_una, g->ack)) {
            net_tcp_reply_rst(s, g->src, g->dst, g->hdr, g->seg_len);
            return 0;
        }
        c->state = NET_TCP_ESTABLISHED;
        if (c->parent >= 0)
            net_wake(s, NET_KIND_TCP, c->parent);
    }
    if (net_seq_lt(c->snd_una, g->ack))
        net_tcp_acked(s, c, g->ack);
    if (net_seq_le(c->snd_una, g->ack))
        c->snd_wnd = g->wnd;
    int fin_acked = c->fin_queued && c->snd_una == c->data_seq + c->snd.len + 1;
    if (fin_acked && c->state == NET_TCP_FIN_WAIT_1)
        c->state = NET_TCP_FIN_WAIT_2;
    else if (fin_acked && c->state == NET_TCP_CLOSING)
        net_tcp_enter_time_wait(s, c);
    else if (fin_acked && c->state == NET_TCP_LAST_ACK) {
        net_tcp_closed(s, c);
        return 0;
    }
    return 1;
}

// In-order data into the receive ring, as much as fits (the window said
// how much would); the rest waits for a retransmission.
static void tcp_data_input(struct net_stack *s, struct net_tcp_conn *c,
                           const struct net_tcp_seg_in *g, uint32_t *fin_seq)
{
    const uint8_t *data = g->data;
    uint32_t len = g->len;
    uint32_t seq = g->seq + !!(g->flags & SYN);
    if (net_seq_lt(seq, c->rcv_nxt)) { // the front we have already
        uint32_t skip = c->rcv_nxt - seq;
        skip = skip < len ? skip : len;
        data += skip;
        len -= skip;
        seq += skip;
    }
    *fin_seq = seq + len;
    if (!len)
        return;
    c->ack_now = 1;
    if (seq != c->rcv_nxt) {
        NET_COUNT(s, tcp_out_of_order);
        *fin_seq = c->rcv_nxt - 1; // no FIN either
        return;
    }
    uint32_t n = len;
    if (c->owned || c->parent >= 0) // else closed by its caller: discarded
        n = net_ring_put(&c->rcv, data, len);
    c->rcv_nxt += n;
    if (n < len)
        *fin_seq = c->rcv_nxt - 1;
    net_wake(s, NET_KIND_TCP, net_tcp_handle(s, c));
}

// The peer's FIN at FIN_SEQ, taken once everything before it is.
static void tcp_fin_input(struct net_stack *s, struct net_tcp_conn *c, uint32_t fin_seq)
{
    if (fin_seq != c->rcv_nxt || c->fin_received)
        return;
    c->rcv_nxt++;
    c->fin_received = 1;
    c->ack_now = 1;
    if (c->state == NET_TCP_ESTABLISHED || c->state == NET_TCP_SYN_RCVD)
        c->state = NET_TCP_CLOSE_WAIT;
    else if (c->state == NET_TCP_FIN_WAIT_1)
        c->state = NET_TCP_CLOSING;
    else if (c->state == NET_TCP_FIN_WAIT_2)
        net_tcp_enter_time_wait(s, c);
    net_wake(s, NET_KIND_TCP, net_tcp_handle(s, c));
}

static int tcp_reading(const struct net_tcp_conn *c)
{
    return c->state == NET_TCP_ESTABLISHED || c->state == NET_TCP_FIN_WAIT_1 ||
           c->state == NET_TCP_FIN_WAIT_2;
}

void net_tcp_segment_input(struct net_stack *s, struct net_tcp_conn *c,
                           const struct net_tcp_seg_in *g)
{
    if (c->state == NET_TCP_SYN_RCVD && (g->flags & (SYN | ACK)) == SYN &&
        g->seq + 1 == c->rcv_nxt) {
        c->snd_nxt = c->iss; // its SYN again: our SYN-ACK was lost
        return net_tcp_output(s, c);
    }
    if (!tcp_acceptable(c, g)) {
        // Answered by an ACK (RFC 793), but not a bare ACK: two ends that
        // disagree on the numbers would ACK each other's ACKs for ever.
        NET_COUNT(s, tcp_outside_window);
        if (!(g->flags & RST) && g->seg_len)
            net_tcp_send_ack(s, c);
        return;
    }
    if (g->flags & RST) {
        NET_COUNT(s, tcp_resets_received);
        return net_tcp_fail(s, c, NET_E_RESET);
    }
    if (g->flags & SYN) { // a SYN in the window: the peer restarted
        net_tcp_send_rst(s, c);
        return net_tcp_fail(s, c, NET_E_RESET);
    }
    if (!(g->flags & ACK) || !tcp_ack_input(s, c, g))
        return;
    uint32_t fin_seq = c->rcv_nxt - 1;
    if (tcp_reading(c))
        tcp_data_input(s, c, g, &fin_seq);
    if (g->flags & FIN)
        tcp_fin_input(s, c, fin_seq);
    net_tcp_output(s, c);
}
