// UDP (RFC 768): sockets bound to a port, each queueing NET_UDP_QUEUE
// datagrams (more are dropped and counted: UDP is allowed to lose them,
// and a slow reader must not take the stack's memory). Checksums are
// checked when present and always sent.
#include "net_internal.h"

#define UDP_HLEN 8

int net_udp_find(const struct net_stack *s, uint16_t port)
{
    for (int i = 0; i < NET_UDP_SOCKETS; i++)
        if (s->udp[i].used && s->udp[i].port == port)
            return i;
    return -1;
}

static struct net_udp_sock *udp_sock(struct net_stack *s, int h)
{
    if (h < 0 || h >= NET_UDP_SOCKETS || !s->udp[h].used)
        return 0;
    return &s->udp[h];
}

int net_udp_open(struct net_stack *s, uint16_t port)
{
    if (port && net_udp_find(s, port) >= 0)
        return NET_E_INUSE;
    for (int i = 0; i < NET_UDP_SOCKETS; i++) {
        if (!s->udp[i].used) {
            s->udp[i].head = s->udp[i].count = 0;
            s->udp[i].received = 0;
            s->udp[i].port = port ? port : net_ephemeral_port(s);
            s->udp[i].used = 1;
            return i;
        }
    }
    return NET_E_NOMEM;
}

int net_udp_close(struct net_stack *s, int h)
{
    struct net_udp_sock *u = udp_sock(s, h);
    if (!u)
        return NET_E_INVAL;
    u->used = 0;
    return NET_OK;
}

uint16_t net_udp_port(const struct net_stack *s, int h)
{
    return h >= 0 && h < NET_UDP_SOCKETS && s->udp[h].used ? s->udp[h].port : 0;
}

int net_udp_sendto(struct net_stack *s, int h, uint32_t ip, uint16_t port, const void *buf,
                   uint32_t len)
{
    struct net_udp_sock *u = udp_sock(s, h);
    if (!u || !port)
        return NET_E_INVAL;
    if (len > NET_UDP_MAX)
        return NET_E_MSGSIZE;
    s->now = s->ops.now_ms(s->ops.ctx);
    uint8_t *d = s->tx + NET_TX_PAYLOAD;
    net_put16(d, u->port);
    net_put16(d + 2, port);
    net_put16(d + 4, (uint16_t)(UDP_HLEN + len));
    net_put16(d + 6, 0);
    memcpy(d + UDP_HLEN, buf, len);
    uint32_t sum = net_sum_pseudo(s->ip, ip, NET_PROTO_UDP, UDP_HLEN + len);
    uint16_t check = net_sum_fold(net_sum_add(sum, d, UDP_HLEN + len));
    net_put16(d + 6, check ? check : 0xFFFF); // 0 means "none"
    int r = net_ip_output(s, ip, NET_PROTO_UDP, UDP_HLEN + len);
    return r == NET_OK ? (int)len : r;
}

int net_udp_recvfrom(struct net_stack *s, int h, void *buf, uint32_t len, uint32_t *ip,
                     uint16_t *port)
{
    struct net_udp_sock *u = udp_sock(s, h);
    if (!u)
        return NET_E_INVAL;
    if (!u->count)
        return NET_E_AGAIN;
    struct net_udp_dgram *d = &u->q[u->head];
    memcpy(buf, d->data, d->len < len ? d->len : len);
    if (ip)
        *ip = d->ip;
    if (port)
        *port = d->port;
    u->head = (uint8_t)((u->head + 1) % NET_UDP_QUEUE);
    u->count--;
    return d->len;
}

// The length field must fit the IP payload (which may carry padding
// after it) and the checksum, if nonzero, must hold.
void net_udp_input(struct net_stack *s, uint32_t src, uint32_t dst, const uint8_t *p, uint32_t len)
{
    if (len < UDP_HLEN)
        return (void)NET_COUNT(s, udp_truncated);
    uint32_t ulen = net_get16(p + 4);
    if (ulen < UDP_HLEN || ulen > len || ulen - UDP_HLEN > NET_UDP_MAX)
        return (void)NET_COUNT(s, udp_bad_length);
    if (net_get16(p + 6) != 0 &&
        net_sum_fold(net_sum_add(net_sum_pseudo(src, dst, NET_PROTO_UDP, ulen), p, ulen)) != 0)
        return (void)NET_COUNT(s, udp_bad_checksum);
    int h = net_udp_find(s, net_get16(p + 2));
    if (h < 0)
        return (void)NET_COUNT(s, udp_no_socket);
    struct net_udp_sock *u = &s->udp[h];
    if (u->count == NET_UDP_QUEUE)
        return (void)NET_COUNT(s, udp_queue_full);
    struct net_udp_dgram *d = &u->q[(u->head + u->count) % NET_UDP_QUEUE];
    d->ip = src;
    d->port = net_get16(p);
    d->len = (uint16_t)(ulen - UDP_HLEN);
    memcpy(d->data, p + UDP_HLEN, d->len);
    u->count++;
    u->received++;
    net_wake(s, NET_KIND_UDP, h);
}
