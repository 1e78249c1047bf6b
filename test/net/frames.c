/* The tests' own packets (frames.h). */
#include "frames.h"

#include <string.h>

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xFFFF);
}

static uint32_t get16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) << 16 | get16(p + 2);
}

uint16_t fr_sum(const uint8_t *p, size_t n, uint32_t init)
{
    uint64_t sum = init;
    for (size_t i = 0; i < n; i++)
        sum += i % 2 ? p[i] : (uint32_t)p[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

static size_t eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16(f + 12, type);
    return 14;
}

size_t fr_arp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t op,
              uint32_t sender_ip, const uint8_t target_mac[6], uint32_t target_ip)
{
    uint8_t *a = f + eth(f, dst, src, 0x0806);
    static const uint8_t head[] = {0, 1, 8, 0, 6, 4};
    memcpy(a, head, 6);
    put16(a + 6, op);
    memcpy(a + 8, src, 6);
    put32(a + 14, sender_ip);
    memcpy(a + 18, target_mac, 6);
    put32(a + 24, target_ip);
    memset(a + 28, 0, 18); /* padding to 60 */
    return 60;
}

size_t fr_ip(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
             uint8_t proto, const uint8_t *payload, size_t n)
{
    uint8_t *h = f + eth(f, dst, src, 0x0800);
    memset(h, 0, 20);
    h[0] = 0x45;
    put16(h + 2, (uint32_t)(20 + n));
    put16(h + 4, 0x1234);
    h[8] = 64;
    h[9] = proto;
    put32(h + 12, sip);
    put32(h + 16, dip);
    put16(h + 10, fr_sum(h, 20, 0));
    memmove(h + 20, payload, n);
    size_t len = 34 + n;
    if (len < 60) {
        memset(f + len, 0, 60 - len);
        len = 60;
    }
    return len;
}

static uint32_t pseudo(uint32_t sip, uint32_t dip, uint8_t proto, size_t n)
{
    return (sip >> 16) + (sip & 0xFFFF) + (dip >> 16) + (dip & 0xFFFF) + proto + (uint32_t)n;
}

size_t fr_udp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
              uint16_t sport, uint16_t dport, const void *data, size_t n)
{
    uint8_t u[1600];
    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, (uint32_t)(8 + n));
    put16(u + 6, 0);
    memcpy(u + 8, data, n);
    uint16_t sum = fr_sum(u, 8 + n, pseudo(sip, dip, 17, 8 + n));
    put16(u + 6, sum ? sum : 0xFFFF);
    return fr_ip(f, dst, src, sip, dip, 17, u, 8 + n);
}

size_t fr_tcp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
              uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
              uint16_t window, const void *data, size_t n)
{
    uint8_t t[1600];
    memset(t, 0, 20);
    put16(t, sport);
    put16(t + 2, dport);
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = 5 << 4;
    t[13] = flags;
    put16(t + 14, window);
    if (n)
        memcpy(t + 20, data, n); /* data may be NULL when n is 0 */
    put16(t + 16, fr_sum(t, 20 + n, pseudo(sip, dip, 6, 20 + n)));
    return fr_ip(f, dst, src, sip, dip, 6, t, 20 + n);
}

size_t fr_icmp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
               uint8_t type, uint16_t id, uint16_t seq, const void *data, size_t n)
{
    uint8_t m[1600] = {type, 0};
    put16(m + 4, id);
    put16(m + 6, seq);
    memcpy(m + 8, data, n);
    put16(m + 2, fr_sum(m, 8 + n, 0));
    return fr_ip(f, dst, src, sip, dip, 1, m, 8 + n);
}

static int parse_transport(const uint8_t *t, size_t n, struct fr_parsed *p)
{
    if (p->proto == 17 && n >= 8) {
        p->sport = (uint16_t)get16(t);
        p->dport = (uint16_t)get16(t + 2);
        p->data = t + 8;
        p->len = get16(t + 4) - 8;
    } else if (p->proto == 6 && n >= 20) {
        p->sport = (uint16_t)get16(t);
        p->dport = (uint16_t)get16(t + 2);
        p->seq = get32(t + 4);
        p->ack = get32(t + 8);
        p->flags = t[13];
        p->window = (uint16_t)get16(t + 14);
        p->data = t + (t[12] >> 4) * 4;
        p->len = n - (t[12] >> 4) * 4;
    } else {
        p->data = t;
        p->len = n;
    }
    return 1;
}

int fr_parse(const uint8_t *f, size_t len, struct fr_parsed *p)
{
    memset(p, 0, sizeof *p);
    if (len < 42)
        return 0;
    p->type = (uint16_t)get16(f + 12);
    const uint8_t *h = f + 14;
    if (p->type == 0x0806) {
        p->arp_op = (uint16_t)get16(h + 6);
        p->src = get32(h + 14);
        p->dst = get32(h + 24);
        return 1;
    }
    if (p->type != 0x0800)
        return 0;
    size_t hl = (h[0] & 15u) * 4, total = get16(h + 2);
    p->proto = h[9];
    p->src = get32(h + 12);
    p->dst = get32(h + 16);
    return parse_transport(h + hl, total - hl, p);
}
