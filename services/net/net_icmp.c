// ICMP (RFC 792): echo requests answered, and the ping client's echo
// requests matched to their replies by address, id and sequence.
#include "net_internal.h"

#define ICMP_ECHO_REPLY   0
#define ICMP_ECHO_REQUEST 8
#define ICMP_HLEN         8

// Writes an echo message of TYPE with LEN payload bytes (copied from DATA,
// or a pattern if NULL) into tx and sends it to DST.
static int icmp_echo(struct net_stack *s, uint32_t dst, uint8_t type, uint16_t id, uint16_t seq,
                     const uint8_t *data, uint32_t len)
{
    uint8_t *m = s->tx + NET_TX_PAYLOAD;
    if (len > NET_MTU - NET_IP_HLEN - ICMP_HLEN)
        return NET_E_MSGSIZE;
    m[0] = type;
    m[1] = 0;
    net_put16(m + 2, 0);
    net_put16(m + 4, id);
    net_put16(m + 6, seq);
    for (uint32_t i = 0; i < len; i++)
        m[ICMP_HLEN + i] = data ? data[i] : (uint8_t)i;
    net_put16(m + 2, net_sum_fold(net_sum_add(0, m, ICMP_HLEN + len)));
    return net_ip_output(s, dst, NET_PROTO_ICMP, ICMP_HLEN + len);
}

static void icmp_reply_arrived(struct net_stack *s, uint32_t src, uint16_t id, uint16_t seq)
{
    for (int i = 0; i < NET_PINGS; i++) {
        struct net_ping *p = &s->ping[i];
        if (p->used && !p->done && p->ip == src && p->id == id && p->seq == seq) {
            p->done = 1;
            p->rtt = (uint32_t)(s->now - p->sent);
            net_wake(s, NET_KIND_PING, i);
            return;
        }
    }
    NET_COUNT(s, icmp_ignored);
}

void net_icmp_input(struct net_stack *s, uint32_t src, const uint8_t *p, uint32_t len)
{
    if (len < ICMP_HLEN)
        return (void)NET_COUNT(s, icmp_truncated);
    if (net_sum_fold(net_sum_add(0, p, len)) != 0)
        return (void)NET_COUNT(s, icmp_bad_checksum);
    uint16_t id = net_get16(p + 4), seq = net_get16(p + 6);
    if (p[0] == ICMP_ECHO_REQUEST && p[1] == 0 && src && !net_ip_is_broadcast(s, src)) {
        if (icmp_echo(s, src, ICMP_ECHO_REPLY, id, seq, p + ICMP_HLEN, len - ICMP_HLEN) == NET_OK)
            NET_COUNT(s, icmp_echo_answered);
    } else if (p[0] == ICMP_ECHO_REPLY && p[1] == 0) {
        icmp_reply_arrived(s, src, id, seq);
    } else {
        NET_COUNT(s, icmp_ignored);
    }
}

int net_ping_start(struct net_stack *s, uint32_t ip, uint16_t id, uint16_t seq, uint32_t len)
{
    s->now = s->ops.now_ms(s->ops.ctx);
    for (int i = 0; i < NET_PINGS; i++) {
        struct net_ping *p = &s->ping[i];
        if (p->used)
            continue;
        *p = (struct net_ping){.used = 1, .id = id, .seq = seq, .ip = ip, .sent = s->now};
        int r = icmp_echo(s, ip, ICMP_ECHO_REQUEST, id, seq, 0, len);
        if (r != NET_OK) {
            p->used = 0;
            return r;
        }
        return i;
    }
    return NET_E_NOMEM;
}

int net_ping_poll(struct net_stack *s, int h, uint32_t *rtt_ms)
{
    if (h < 0 || h >= NET_PINGS || !s->ping[h].used)
        return NET_E_INVAL;
    if (!s->ping[h].done)
        return NET_E_AGAIN;
    *rtt_ms = s->ping[h].rtt;
    return NET_OK;
}

void net_ping_free(struct net_stack *s, int h)
{
    if (h >= 0 && h < NET_PINGS)
        s->ping[h].used = 0;
}
