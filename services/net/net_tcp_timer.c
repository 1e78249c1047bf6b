// TCP's clocks: the retransmission timer (RFC 6298: the estimate from one
// timed segment at a time, Karn's rule, backoff by doubling, giving up
// after TCP_RETRIES), the persist timer that probes a zero window (no
// giving up: a peer may read slowly for ever), and TIME_WAIT's end.
#include "net_internal.h"

#define TCP_RTO_MIN     200
#define TCP_RTO_MAX     60000
#define TCP_RETRIES     8
#define TCP_SYN_RETRIES 5
#define TCP_TIME_WAIT   2000 // 2 MSL, short: this is a small host's stack

static uint32_t tcp_min(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

// A round-trip sample of R ms into srtt and rttvar (kept times 8 and 4,
// RFC 6298 2.2 and 2.3), and the RTO they give.
static void tcp_rtt_sample(struct net_tcp_conn *c, uint32_t r)
{
    if (!c->srtt) {
        c->srtt = r * 8 + 1; // never 0 again: 0 means "no sample yet"
        c->rttvar = r * 2;
    } else {
        int32_t err = (int32_t)(r * 8) - (int32_t)c->srtt;
        uint32_t abs_err = (uint32_t)(err < 0 ? -err : err) / 2; // times 4
        c->rttvar = c->rttvar - c->rttvar / 4 + abs_err / 4;
        c->srtt = (uint32_t)((int32_t)c->srtt + err / 8);
    }
    uint32_t rto = c->srtt / 8 + c->rttvar;
    c->rto = rto < TCP_RTO_MIN ? TCP_RTO_MIN : tcp_min(rto, TCP_RTO_MAX);
}

// The peer acknowledged up to ACK (snd_una < ACK <= snd_max): the ring
// lets go of the data, the retry count starts over, and a timed segment
// gives a sample.
void net_tcp_acked(struct net_stack *s, struct net_tcp_conn *c, uint32_t ack)
{
    if (net_seq_lt(c->data_seq, ack)) {
        uint32_t n = tcp_min(ack - c->data_seq, c->snd.len);
        net_ring_drop(&c->snd, n);
        c->data_seq += n;
    }
    if (c->timing && net_seq_lt(c->timed_seq, ack)) {
        c->timing = 0;
        tcp_rtt_sample(c, (uint32_t)(s->now - c->timed_at));
    }
    c->snd_una = ack;
    if (net_seq_lt(c->snd_nxt, ack)) // a probe's byte was taken
        c->snd_nxt = ack;
    c->retries = 0;
    c->rtx_deadline = 0; // restarted by net_tcp_arm
    net_wake(s, NET_KIND_TCP, net_tcp_handle(s, c));
}

// The retransmission timer runs while anything sent is unacknowledged;
// else the persist timer while data waits for a zero window.
void net_tcp_arm(struct net_stack *s, struct net_tcp_conn *c)
{
    int in_flight = c->snd_una != c->snd_nxt;
    int waiting = c->snd_nxt - c->data_seq < c->snd.len;
    if (c->state == NET_TCP_CLOSED || c->state == NET_TCP_TIME_WAIT)
        in_flight = waiting = 0;
    if (!in_flight)
        c->rtx_deadline = 0;
    else if (!c->rtx_deadline)
        c->rtx_deadline = s->now + c->rto;
    if (in_flight || !waiting || c->snd_wnd) {
        c->persist_deadline = 0;
        c->persist_ms = c->rto;
    } else if (!c->persist_deadline) {
        c->persist_deadline = s->now + c->persist_ms;
    }
}

// The retransmission timer went off: back off, go back to snd_una and send
// again (go-back-N: we keep no record of what arrived beyond it), or give
// up and reset.
static void tcp_retransmit(struct net_stack *s, struct net_tcp_conn *c)
{
    NET_COUNT(s, tcp_retransmits);
    unsigned limit = c->state == NET_TCP_SYN_SENT || c->state == NET_TCP_SYN_RCVD ? TCP_SYN_RETRIES
                                                                                  : TCP_RETRIES;
    if (++c->retries > limit) {
        NET_COUNT(s, tcp_gave_up);
        if (c->state != NET_TCP_SYN_SENT)
            net_tcp_send_rst(s, c);
        net_tcp_fail(s, c, NET_E_TIMEDOUT);
        return;
    }
    c->rto = tcp_min(c->rto * 2, TCP_RTO_MAX);
    c->timing = 0;
    c->snd_nxt = c->snd_una;
    c->rtx_deadline = 0;
    net_tcp_output(s, c);
}

// One byte past the zero window: the answer's ACK carries the window.
static void tcp_probe(struct net_stack *s, struct net_tcp_conn *c)
{
    NET_COUNT(s, tcp_probes);
    net_tcp_send_bytes(s, c, 1);
    if (net_seq_lt(c->snd_max, c->snd_nxt + 1))
        c->snd_max = c->snd_nxt + 1;
    c->persist_ms = tcp_min(c->persist_ms * 2, TCP_RTO_MAX);
    c->persist_deadline = s->now + c->persist_ms;
}

void net_tcp_enter_time_wait(struct net_stack *s, struct net_tcp_conn *c)
{
    c->state = NET_TCP_TIME_WAIT;
    c->rtx_deadline = c->persist_deadline = 0;
    c->wait_deadline = s->now + TCP_TIME_WAIT;
}

void net_tcp_tick(struct net_stack *s)
{
    for (int i = 0; i < NET_TCP_CONNS; i++) {
        struct net_tcp_conn *c = &s->tcp[i];
        if (c->rtx_deadline && s->now >= c->rtx_deadline)
            tcp_retransmit(s, c);
        else if (c->persist_deadline && s->now >= c->persist_deadline)
            tcp_probe(s, c);
        else if (c->wait_deadline && s->now >= c->wait_deadline)
            net_tcp_closed(s, c);
    }
}
