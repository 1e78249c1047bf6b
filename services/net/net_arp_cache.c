// The ARP cache: NET_ARP_ENTRIES entries, resolved ones expiring after
// ARP_TTL_MS; frames for a next hop being resolved wait in a stack-wide
// pool of NET_ARP_PENDING; requests are retried ARP_TRIES times, then the
// address is "failed" for ARP_FAILED_MS (sends to it fail at once with
// NET_E_UNREACH, and TCP connections opening to it fail).
#include "net_internal.h"

#define ARP_RETRY_MS  1000
#define ARP_TRIES     3
#define ARP_TTL_MS    60000
#define ARP_FAILED_MS 5000

static struct net_arp_entry *arp_find(struct net_stack *s, uint32_t ip)
{
    for (int i = 0; i < NET_ARP_ENTRIES; i++)
        if (s->arp[i].state != NET_ARP_FREE && s->arp[i].ip == ip)
            return &s->arp[i];
    return 0;
}

static void arp_flush(struct net_stack *s, uint32_t ip, const uint8_t *mac);

// A free entry, else the resolved or failed one expiring first, else the
// pending one that asked first (its frames dropped): a flood of frames to
// addresses nobody answers must not keep real neighbours out.
static struct net_arp_entry *arp_alloc(struct net_stack *s)
{
    struct net_arp_entry *done = 0, *pending = 0;
    for (int i = 0; i < NET_ARP_ENTRIES; i++) {
        struct net_arp_entry *e = &s->arp[i];
        struct net_arp_entry **best = e->state == NET_ARP_PENDING_STATE ? &pending : &done;
        if (e->state == NET_ARP_FREE)
            return e;
        if (!*best || e->deadline < (*best)->deadline)
            *best = e;
    }
    if (done)
        return done;
    arp_flush(s, pending->ip, 0);
    NET_COUNT(s, arp_unresolved);
    return pending;
}

// Sends or drops the frames waiting for IP.
static void arp_flush(struct net_stack *s, uint32_t ip, const uint8_t *mac)
{
    for (int i = 0; i < NET_ARP_PENDING; i++) {
        struct net_pending *q = &s->pending[i];
        if (q->len && q->next_hop == ip) {
            if (mac)
                net_eth_output(s, mac, NET_TYPE_IPV4, q->frame, q->len);
            q->len = 0;
        }
    }
}

static void arp_queue(struct net_stack *s, uint32_t ip, const uint8_t *frame, uint32_t len)
{
    for (int i = 0; i < NET_ARP_PENDING; i++) {
        struct net_pending *q = &s->pending[i];
        if (!q->len) {
            q->next_hop = ip;
            q->len = (uint16_t)len;
            memcpy(q->frame, frame, len);
            return;
        }
    }
    NET_COUNT(s, arp_queue_full);
}

// Sends an IPv4 frame to NEXT_HOP once its MAC is known. NET_OK also when
// the frame waits or was dropped for lack of room (IP is unreliable; TCP
// retransmits); NET_E_UNREACH when ARP failed on it lately.
int net_arp_send(struct net_stack *s, uint32_t next_hop, uint8_t *frame, uint32_t len)
{
    struct net_arp_entry *e = arp_find(s, next_hop);
    if (e && e->state == NET_ARP_RESOLVED) {
        net_eth_output(s, e->mac, NET_TYPE_IPV4, frame, len);
        return NET_OK;
    }
    if (e && e->state == NET_ARP_FAILED)
        return NET_E_UNREACH;
    if (!e) {
        e = arp_alloc(s);
        e->ip = next_hop;
        e->state = NET_ARP_PENDING_STATE;
        e->tries = 1;
        e->deadline = s->now + ARP_RETRY_MS;
        arp_queue(s, next_hop, frame, len); // before the request reuses tx
        net_arp_request(s, next_hop);
        return NET_OK;
    }
    arp_queue(s, next_hop, frame, len);
    return NET_OK;
}

// IP is at MAC: updates a known entry (or makes one if CREATE) and sends
// what waited for it.
void net_arp_learn(struct net_stack *s, uint32_t ip, const uint8_t mac[6], int create)
{
    struct net_arp_entry *e = arp_find(s, ip);
    if (!e && create)
        e = arp_alloc(s);
    if (!e)
        return;
    e->ip = ip;
    memcpy(e->mac, mac, 6);
    e->state = NET_ARP_RESOLVED;
    e->deadline = s->now + ARP_TTL_MS;
    arp_flush(s, ip, mac);
}

// Retries, gives up, expires.
void net_arp_tick(struct net_stack *s)
{
    for (int i = 0; i < NET_ARP_ENTRIES; i++) {
        struct net_arp_entry *e = &s->arp[i];
        if (e->state == NET_ARP_FREE || s->now < e->deadline)
            continue;
        if (e->state != NET_ARP_PENDING_STATE) {
            e->state = NET_ARP_FREE;
        } else if (e->tries < ARP_TRIES) {
            e->tries++;
            e->deadline = s->now + ARP_RETRY_MS;
            net_arp_request(s, e->ip);
        } else {
            e->state = NET_ARP_FAILED;
            e->deadline = s->now + ARP_FAILED_MS;
            NET_COUNT(s, arp_unresolved);
            arp_flush(s, e->ip, 0);
            net_tcp_unreachable(s, e->ip);
        }
    }
}

// For the arp command and the tests: NET_OK and the MAC if resolved.
int net_arp_lookup(const struct net_stack *s, uint32_t ip, uint8_t mac[6])
{
    for (int i = 0; i < NET_ARP_ENTRIES; i++) {
        const struct net_arp_entry *e = &s->arp[i];
        if (e->state == NET_ARP_RESOLVED && e->ip == ip) {
            memcpy(mac, e->mac, 6);
            return NET_OK;
        }
    }
    return NET_E_AGAIN;
}
