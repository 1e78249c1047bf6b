// The byte rings behind each TCP connection's send and receive buffers:
// fixed NET_TCP_BUF bytes, copied in and out in at most two pieces.
#include "net_internal.h"

uint32_t net_ring_free(const struct net_ring *r)
{
    return NET_TCP_BUF - r->len;
}

// Appends what fits of LEN bytes; returns how many.
uint32_t net_ring_put(struct net_ring *r, const uint8_t *p, uint32_t len)
{
    if (len > net_ring_free(r))
        len = net_ring_free(r);
    uint32_t tail = (r->head + r->len) % NET_TCP_BUF;
    uint32_t first = NET_TCP_BUF - tail < len ? NET_TCP_BUF - tail : len;
    memcpy(r->data + tail, p, first);
    memcpy(r->data, p + first, len - first);
    r->len += len;
    return len;
}

// Copies LEN bytes starting OFFSET bytes in; the caller keeps
// OFFSET + LEN <= r->len.
void net_ring_peek(const struct net_ring *r, uint32_t offset, uint8_t *p, uint32_t len)
{
    uint32_t at = (r->head + offset) % NET_TCP_BUF;
    uint32_t first = NET_TCP_BUF - at < len ? NET_TCP_BUF - at : len;
    memcpy(p, r->data + at, first);
    memcpy(p + first, r->data, len - first);
}

void net_ring_drop(struct net_ring *r, uint32_t len)
{
    if (len > r->len)
        len = r->len;
    r->head = (r->head + len) % NET_TCP_BUF;
    r->len -= len;
}

// Takes up to LEN bytes from the front; returns how many.
uint32_t net_ring_get(struct net_ring *r, uint8_t *p, uint32_t len)
{
    if (len > r->len)
        len = r->len;
    net_ring_peek(r, 0, p, len);
    net_ring_drop(r, len);
    return len;
}
