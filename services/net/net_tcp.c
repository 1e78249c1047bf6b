// TCP's socket calls: open actively or passively, send and receive
// through the rings, and the three ends (shutdown, close, abort). None
// waits: NET_E_AGAIN says to wait for the wake callback.
#include "net_internal.h"

static struct net_tcp_conn *tcp_conn(struct net_stack *s, int h)
{
    if (h < 0 || h >= NET_TCP_CONNS || !s->tcp[h].owned)
        return 0;
    s->now = s->ops.now_ms(s->ops.ctx);
    return &s->tcp[h];
}

int net_tcp_connect(struct net_stack *s, uint32_t ip, uint16_t port)
{
    if (!port || !ip || !s->ip)
        return NET_E_INVAL;
    s->now = s->ops.now_ms(s->ops.ctx);
    struct net_tcp_conn *c = net_tcp_alloc(s);
    if (!c)
        return NET_E_NOMEM;
    c->owned = 1;
    c->remote_ip = ip;
    c->remote_port = port;
    c->local_port = net_ephemeral_port(s);
    net_tcp_open(s, c, NET_TCP_SYN_SENT);
    net_tcp_output(s, c);
    return net_tcp_handle(s, c);
}

int net_tcp_listen(struct net_stack *s, uint16_t port, unsigned backlog)
{
    if (!port || !backlog)
        return NET_E_INVAL;
    if (net_tcp_listener(s, port))
        return NET_E_INUSE;
    struct net_tcp_conn *c = net_tcp_alloc(s);
    if (!c)
        return NET_E_NOMEM;
    c->owned = 1;
    c->state = NET_TCP_LISTEN;
    c->local_port = port;
    c->backlog = (uint16_t)(backlog < NET_TCP_CONNS ? backlog : NET_TCP_CONNS);
    return net_tcp_handle(s, c);
}

// The first child of listener L that completed its handshake.
int net_tcp_accept(struct net_stack *s, int l)
{
    struct net_tcp_conn *lc = tcp_conn(s, l);
    if (!lc || lc->state != NET_TCP_LISTEN)
        return NET_E_INVAL;
    for (int i = 0; i < NET_TCP_CONNS; i++) {
        struct net_tcp_conn *c = &s->tcp[i];
        if (c->parent == l && c->state != NET_TCP_CLOSED && c->state != NET_TCP_SYN_RCVD) {
            c->parent = -1;
            c->owned = c->accepted = 1;
            return i;
        }
    }
    return NET_E_AGAIN;
}

int net_tcp_send(struct net_stack *s, int h, const void *buf, uint32_t len)
{
    struct net_tcp_conn *c = tcp_conn(s, h);
    if (!c || c->state == NET_TCP_LISTEN)
        return NET_E_INVAL;
    if (c->error)
        return c->error;
    if (c->fin_queued || c->state == NET_TCP_CLOSED)
        return NET_E_CLOSED;
    if (c->state == NET_TCP_SYN_SENT || c->state == NET_TCP_SYN_RCVD)
        return NET_E_AGAIN;
    uint32_t n = net_ring_put(&c->snd, buf, len);
    if (!n && len)
        return NET_E_AGAIN;
    net_tcp_output(s, c);
    return (int)n;
}

// Reading opens the window: tell the peer once it grew by a segment or
// half the ring since we last said (not for every byte: that would invite
// tiny segments, the silly window syndrome).
static void tcp_window_update(struct net_stack *s, struct net_tcp_conn *c)
{
    uint32_t announced = c->rcv_adv - c->rcv_nxt;
    uint32_t step = NET_TCP_MSS < NET_TCP_BUF / 2 ? NET_TCP_MSS : NET_TCP_BUF / 2;
    if (c->state != NET_TCP_CLOSED && c->state != NET_TCP_SYN_RCVD &&
        net_tcp_window(c) >= announced + step)
        net_tcp_send_ack(s, c);
}

int net_tcp_recv(struct net_stack *s, int h, void *buf, uint32_t len)
{
    struct net_tcp_conn *c = tcp_conn(s, h);
    if (!c || c->state == NET_TCP_LISTEN)
        return NET_E_INVAL;
    if (c->rcv.len && len) {
        uint32_t n = net_ring_get(&c->rcv, buf, len);
        tcp_window_update(s, c);
        return (int)n;
    }
    if (c->error)
        return c->error;
    if (c->fin_received || c->state == NET_TCP_CLOSED)
        return 0;
    return NET_E_AGAIN;
}

// Our FIN goes after the data queued; reading goes on.
int net_tcp_shutdown(struct net_stack *s, int h)
{
    struct net_tcp_conn *c = tcp_conn(s, h);
    if (!c || c->state == NET_TCP_LISTEN)
        return NET_E_INVAL;
    if (c->fin_queued)
        return NET_OK;
    if (c->state == NET_TCP_SYN_SENT) {
        net_tcp_closed(s, c);
        return NET_OK;
    }
    if (c->state == NET_TCP_ESTABLISHED || c->state == NET_TCP_SYN_RCVD)
        c->state = NET_TCP_FIN_WAIT_1;
    else if (c->state == NET_TCP_CLOSE_WAIT)
        c->state = NET_TCP_LAST_ACK;
    else
        return NET_OK;
    c->fin_queued = 1;
    net_tcp_output(s, c);
    return NET_OK;
}

// A listener's children not yet accepted are reset with it.
static void tcp_close_listener(struct net_stack *s, int l)
{
    for (int i = 0; i < NET_TCP_CONNS; i++) {
        struct net_tcp_conn *c = &s->tcp[i];
        if (c->parent == l && c->state != NET_TCP_CLOSED) {
            net_tcp_send_rst(s, c);
            net_tcp_closed(s, c);
        }
    }
    s->tcp[l].state = NET_TCP_CLOSED;
}

int net_tcp_close(struct net_stack *s, int h)
{
    struct net_tcp_conn *c = tcp_conn(s, h);
    if (!c)
        return NET_E_INVAL;
    if (c->state == NET_TCP_LISTEN)
        tcp_close_listener(s, h);
    else if (c->state != NET_TCP_CLOSED)
        net_tcp_shutdown(s, h);
    c->owned = 0;
    net_ring_drop(&c->rcv, c->rcv.len);
    return NET_OK;
}

int net_tcp_abort(struct net_stack *s, int h)
{
    struct net_tcp_conn *c = tcp_conn(s, h);
    if (!c)
        return NET_E_INVAL;
    if (c->state == NET_TCP_LISTEN)
        tcp_close_listener(s, h);
    else if (c->state != NET_TCP_CLOSED && c->state != NET_TCP_SYN_SENT &&
             c->state != NET_TCP_TIME_WAIT)
        net_tcp_send_rst(s, c);
    net_tcp_closed(s, c);
    c->owned = 0;
    return NET_OK;
}

int net_tcp_state(const struct net_stack *s, int h)
{
    if (h < 0 || h >= NET_TCP_CONNS || !s->tcp[h].owned)
        return NET_E_INVAL;
    return s->tcp[h].state;
}

int net_tcp_error(const struct net_stack *s, int h)
{
    if (h < 0 || h >= NET_TCP_CONNS || !s->tcp[h].owned)
        return NET_E_INVAL;
    return s->tcp[h].error;
}
