// The stack as a whole: setup, the entry of every received frame, the
// timers, and the small services the protocols share (clock, random
// numbers, ephemeral ports, waking the caller).
#include "net_internal.h"

void net_init(struct net_stack *s, const uint8_t mac[6], const struct net_ops *ops, uint32_t seed)
{
    memset(s, 0, sizeof *s);
    memcpy(s->mac, mac, 6);
    s->ops = *ops;
    s->random = seed ? seed : 0x2545F491u;
    s->next_port = (uint16_t)(49152 + net_random(s) % 16384);
    s->now = ops->now_ms(ops->ctx);
    for (int i = 0; i < NET_TCP_CONNS; i++)
        s->tcp[i].parent = -1;
    s->dhcp.sock = -1;
    s->tftp.sock = -1;
}

// Our address (0 until configured: then we accept any destination, so
// that DHCP's unicast offer reaches us), the subnet and the default route.
void net_configure(struct net_stack *s, uint32_t ip, uint32_t netmask, uint32_t router)
{
    s->ip = ip;
    s->netmask = netmask;
    s->router = router;
}

// xorshift32: enough for initial sequence numbers, ports and xids that
// differ between boots (the seed) and between connections.
uint32_t net_random(struct net_stack *s)
{
    uint32_t x = s->random;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    s->random = x;
    return x;
}

// The next port of 49152..65535 no UDP socket or TCP connection uses.
uint16_t net_ephemeral_port(struct net_stack *s)
{
    for (;;) {
        uint16_t p = s->next_port;
        s->next_port = p == 65535 ? 49152 : (uint16_t)(p + 1);
        int used = net_udp_find(s, p) >= 0;
        for (int i = 0; i < NET_TCP_CONNS && !used; i++)
            used = s->tcp[i].state != NET_TCP_CLOSED && s->tcp[i].local_port == p;
        if (!used)
            return p;
    }
}

void net_wake(struct net_stack *s, int kind, int handle)
{
    if (s->ops.wake)
        s->ops.wake(s->ops.ctx, kind, handle);
}

// A received frame: Ethernet II, for our MAC or broadcast, to ARP or IPv4.
// Every length below is the frame's, never a header's claim.
void net_input(struct net_stack *s, const void *frame, uint32_t len)
{
    static const uint8_t all[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    const uint8_t *p = frame;
    s->now = s->ops.now_ms(s->ops.ctx);
    NET_COUNT(s, frames_in);
    if (len < NET_ETH_HLEN) {
        NET_COUNT(s, eth_truncated);
        return;
    }
    if (memcmp(p, s->mac, 6) != 0 && memcmp(p, all, 6) != 0) {
        NET_COUNT(s, eth_not_for_us);
        return;
    }
    uint16_t type = net_get16(p + 12);
    if (type == NET_TYPE_ARP)
        net_arp_input(s, p + NET_ETH_HLEN, len - NET_ETH_HLEN);
    else if (type == NET_TYPE_IPV4)
        net_ip_input(s, p + NET_ETH_HLEN, len - NET_ETH_HLEN);
    else
        NET_COUNT(s, eth_unknown_type);
    net_dhcp_poll_input(s);
    net_tftp_poll_input(s);
}

// The timers, all driven from here: ARP retries and expiry, TCP
// retransmission, persist and TIME_WAIT, DHCP and TFTP retries.
void net_tick(struct net_stack *s, uint64_t now_ms)
{
    s->now = now_ms;
    net_arp_tick(s);
    net_tcp_tick(s);
    net_dhcp_tick(s);
    net_tftp_tick(s);
}
