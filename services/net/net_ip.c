// IPv4 (RFC 791) for a host: every header checked before use, fragments
// refused (we never send any: DF is set and larger sends fail), options
// skipped, and routing by one subnet and one default router.
#include "net_internal.h"

#define IP_TTL 64
#define IP_DF  0x4000
#define IP_MF  0x2000

// The limited broadcast, or our subnet's directed broadcast.
int net_ip_is_broadcast(const struct net_stack *s, uint32_t ip)
{
    if (ip == NET_BROADCAST)
        return 1;
    uint32_t host = ~s->netmask;
    return s->netmask && host && (ip & host) == host && (ip & s->netmask) == (s->ip & s->netmask);
}

// Until configured (DHCP) we take any destination; then ours or broadcast.
static int ip_for_us(const struct net_stack *s, uint32_t dst)
{
    return s->ip == 0 || dst == s->ip || net_ip_is_broadcast(s, dst);
}

// The header's checks, each counted; the header length on success, else 0.
static uint32_t ip_check(struct net_stack *s, const uint8_t *p, uint32_t len, uint32_t *total)
{
    if (len < NET_IP_HLEN)
        return NET_COUNT(s, ip_truncated), 0;
    if (p[0] >> 4 != 4)
        return NET_COUNT(s, ip_bad_version), 0;
    uint32_t hl = (p[0] & 0xFu) * 4;
    if (hl < NET_IP_HLEN || hl > len)
        return NET_COUNT(s, ip_bad_header_len), 0;
    *total = net_get16(p + 2);
    if (*total < hl || *total > len) // longer frames are Ethernet's padding
        return NET_COUNT(s, ip_bad_total_len), 0;
    if (net_sum_fold(net_sum_add(0, p, hl)) != 0)
        return NET_COUNT(s, ip_bad_checksum), 0;
    if (net_get16(p + 6) & (IP_MF | 0x1FFF))
        return NET_COUNT(s, ip_fragments), 0;
    return hl;
}

void net_ip_input(struct net_stack *s, const uint8_t *p, uint32_t len)
{
    uint32_t total;
    uint32_t hl = ip_check(s, p, len, &total);
    if (!hl)
        return;
    uint32_t src = net_get32(p + 12), dst = net_get32(p + 16);
    if (!ip_for_us(s, dst)) {
        NET_COUNT(s, ip_not_for_us);
        return;
    }
    const uint8_t *payload = p + hl;
    uint32_t n = total - hl;
    switch (p[9]) {
    case NET_PROTO_ICMP:
        net_icmp_input(s, src, payload, n);
        break;
    case NET_PROTO_UDP:
        net_udp_input(s, src, dst, payload, n);
        break;
    case NET_PROTO_TCP:
        net_tcp_input(s, src, dst, payload, n);
        break;
    default:
        NET_COUNT(s, ip_unknown_protocol);
    }
}

// The next hop for DST: itself on our subnet, else the router.
static uint32_t ip_next_hop(const struct net_stack *s, uint32_t dst)
{
    if (!s->router || (dst & s->netmask) == (s->ip & s->netmask))
        return dst;
    return s->router;
}

// Sends tx's PAYLOAD_LEN bytes at NET_TX_PAYLOAD as one unfragmented
// datagram of protocol PROTO to DST.
int net_ip_output(struct net_stack *s, uint32_t dst, uint8_t proto, uint32_t payload_len)
{
    static const uint8_t all[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    if (payload_len > NET_MTU - NET_IP_HLEN)
        return NET_E_MSGSIZE;
    uint8_t *h = s->tx + NET_ETH_HLEN;
    uint32_t total = NET_IP_HLEN + payload_len;
    h[0] = 0x45;
    h[1] = 0;
    net_put16(h + 2, (uint16_t)total);
    net_put16(h + 4, s->ip_id++);
    net_put16(h + 6, IP_DF);
    h[8] = IP_TTL;
    h[9] = proto;
    net_put16(h + 10, 0);
    net_put32(h + 12, s->ip);
    net_put32(h + 16, dst);
    net_put16(h + 10, net_sum_fold(net_sum_add(0, h, NET_IP_HLEN)));
    if (net_ip_is_broadcast(s, dst)) {
        net_eth_output(s, all, NET_TYPE_IPV4, s->tx, NET_ETH_HLEN + total);
        return NET_OK;
    }
    return net_arp_send(s, ip_next_hop(s, dst), s->tx, NET_ETH_HLEN + total);
}
