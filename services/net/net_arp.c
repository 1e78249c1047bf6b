// ARP (RFC 826) for IPv4 over Ethernet: answering requests for our
// address, learning from what we receive, and sending requests.
#include "net_internal.h"

#define ARP_LEN     28
#define ARP_REQUEST 1
#define ARP_REPLY   2

// Writes an ARP packet of operation OP into tx and sends it to DST_MAC.
static void arp_output(struct net_stack *s, uint16_t op, const uint8_t dst_mac[6],
                       const uint8_t target_mac[6], uint32_t target_ip)
{
    uint8_t *a = s->tx + NET_ETH_HLEN;
    net_put16(a, 1); // Ethernet
    net_put16(a + 2, NET_TYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    net_put16(a + 6, op);
    memcpy(a + 8, s->mac, 6);
    net_put32(a + 14, s->ip);
    memcpy(a + 18, target_mac, 6);
    net_put32(a + 24, target_ip);
    net_eth_output(s, dst_mac, NET_TYPE_ARP, s->tx, NET_ETH_HLEN + ARP_LEN);
}

// A broadcast "who has IP".
void net_arp_request(struct net_stack *s, uint32_t ip)
{
    static const uint8_t all[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    static const uint8_t none[6];
    NET_COUNT(s, arp_requests);
    arp_output(s, ARP_REQUEST, all, none, ip);
}

// Only Ethernet/IPv4 with the right address lengths; the sender is merged
// into the cache if known (RFC 826's "merge flag"), added if the packet is
// for us, and a request for our address answered.
void net_arp_input(struct net_stack *s, const uint8_t *p, uint32_t len)
{
    if (len < ARP_LEN || net_get16(p) != 1 || net_get16(p + 2) != NET_TYPE_IPV4 || p[4] != 6 ||
        p[5] != 4) {
        NET_COUNT(s, arp_bad);
        return;
    }
    uint16_t op = net_get16(p + 6);
    uint32_t sender = net_get32(p + 14), target = net_get32(p + 24);
    const uint8_t *sender_mac = p + 8;
    if ((op != ARP_REQUEST && op != ARP_REPLY) || sender_mac[0] & 1) {
        NET_COUNT(s, arp_bad);
        return;
    }
    int for_us = s->ip != 0 && target == s->ip;
    if (sender != 0 && !net_ip_is_broadcast(s, sender))
        net_arp_learn(s, sender, sender_mac, for_us);
    if (!for_us) {
        NET_COUNT(s, arp_not_for_us);
        return;
    }
    if (op == ARP_REQUEST) {
        uint8_t mac[6];
        memcpy(mac, sender_mac, 6);
        NET_COUNT(s, arp_replies);
        arp_output(s, ARP_REPLY, mac, mac, sender);
    }
}
