// The stack's modules' prototypes for each other, by file, and the wire
// helpers: every field is read and written byte by byte in network order,
// so nothing depends on the host's endianness or alignment.
#ifndef SERVICES_NET_NET_INTERNAL_H
#define SERVICES_NET_NET_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net.h"

#define NET_ETH_HLEN   14
#define NET_IP_HLEN    20 // what we send: no options
#define NET_ETH_MIN    60 // shorter frames are padded
#define NET_TYPE_IPV4  0x0800
#define NET_TYPE_ARP   0x0806
#define NET_PROTO_ICMP 1
#define NET_PROTO_TCP  6
#define NET_PROTO_UDP  17
#define NET_BROADCAST  0xFFFFFFFFu
#define NET_TX_PAYLOAD (NET_ETH_HLEN + NET_IP_HLEN) // a transport header's offset in tx

static inline uint16_t net_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t net_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void net_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void net_put32(uint8_t *p, uint32_t v)
{
    net_put16(p, (uint16_t)(v >> 16));
    net_put16(p + 2, (uint16_t)v);
}

#define NET_COUNT(s, name) ((s)->count.name++)

// net_sum.c: the Internet checksum (RFC 1071)
uint32_t net_sum_add(uint32_t sum, const uint8_t *p, uint32_t len);
uint16_t net_sum_fold(uint32_t sum);
uint32_t net_sum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len);

// net_stack.c
uint32_t net_random(struct net_stack *s);
uint16_t net_ephemeral_port(struct net_stack *s);
void net_wake(struct net_stack *s, int kind, int handle);

// net_eth.c: sends FRAME (payload from byte 14) to DST_MAC
void net_eth_output(struct net_stack *s, const uint8_t dst_mac[6], uint16_t type, uint8_t *frame,
                    uint32_t len);

// net_arp.c
void net_arp_input(struct net_stack *s, const uint8_t *p, uint32_t len);
void net_arp_request(struct net_stack *s, uint32_t ip);

// net_arp_cache.c
int net_arp_send(struct net_stack *s, uint32_t next_hop, uint8_t *frame, uint32_t len);
void net_arp_learn(struct net_stack *s, uint32_t ip, const uint8_t mac[6], int create);
void net_arp_tick(struct net_stack *s);

// net_ip.c: tx's transport payload goes to DST
void net_ip_input(struct net_stack *s, const uint8_t *p, uint32_t len);
int net_ip_output(struct net_stack *s, uint32_t dst, uint8_t proto, uint32_t payload_len);
int net_ip_is_broadcast(const struct net_stack *s, uint32_t ip);

// net_icmp.c
void net_icmp_input(struct net_stack *s, uint32_t src, const uint8_t *p, uint32_t len);

// net_udp.c
void net_udp_input(struct net_stack *s, uint32_t src, uint32_t dst, const uint8_t *p, uint32_t len);
int net_udp_find(const struct net_stack *s, uint16_t port);

// net_tcp_in.c
void net_tcp_input(struct net_stack *s, uint32_t src, uint32_t dst, const uint8_t *p, uint32_t len);

// A received segment, its header checked (net_tcp_in.c).
struct net_tcp_seg_in {
    uint32_t src, dst;
    const uint8_t *hdr;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    const uint8_t *opt, *data;
    uint32_t opt_len, len; // len: data bytes
    uint32_t seg_len;      // len plus SYN and FIN
};

// net_tcp_seg.c: a segment for a synchronized connection (RFC 793's
// "SEGMENT ARRIVES" from "first check sequence number")
void net_tcp_segment_input(struct net_stack *s, struct net_tcp_conn *c,
                           const struct net_tcp_seg_in *g);

// net_tcp_out.c
void net_tcp_output(struct net_stack *s, struct net_tcp_conn *c);
void net_tcp_send_ack(struct net_stack *s, struct net_tcp_conn *c);
void net_tcp_send_bytes(struct net_stack *s, struct net_tcp_conn *c, uint32_t len);
void net_tcp_send_rst(struct net_stack *s, struct net_tcp_conn *c);
void net_tcp_reply_rst(struct net_stack *s, uint32_t src, uint32_t dst, const uint8_t *hdr,
                       uint32_t seg_len);
uint32_t net_tcp_window(const struct net_tcp_conn *c);

// net_tcp_conn.c: the pool, lookup, and a connection's end
struct net_tcp_conn *net_tcp_alloc(struct net_stack *s);
struct net_tcp_conn *net_tcp_lookup(struct net_stack *s, uint32_t src, uint16_t sport,
                                    uint16_t dport);
struct net_tcp_conn *net_tcp_listener(struct net_stack *s, uint16_t port);
void net_tcp_open(struct net_stack *s, struct net_tcp_conn *c, uint8_t state);
void net_tcp_fail(struct net_stack *s, struct net_tcp_conn *c, int error);
void net_tcp_closed(struct net_stack *s, struct net_tcp_conn *c);
void net_tcp_unreachable(struct net_stack *s, uint32_t ip);
int net_tcp_handle(const struct net_stack *s, const struct net_tcp_conn *c);

// net_tcp_timer.c
void net_tcp_tick(struct net_stack *s);
void net_tcp_arm(struct net_stack *s, struct net_tcp_conn *c);
void net_tcp_acked(struct net_stack *s, struct net_tcp_conn *c, uint32_t ack);
void net_tcp_enter_time_wait(struct net_stack *s, struct net_tcp_conn *c);

// net_ring.c: the connections' byte rings
uint32_t net_ring_put(struct net_ring *r, const uint8_t *p, uint32_t len);
uint32_t net_ring_get(struct net_ring *r, uint8_t *p, uint32_t len);
void net_ring_peek(const struct net_ring *r, uint32_t offset, uint8_t *p, uint32_t len);
void net_ring_drop(struct net_ring *r, uint32_t len);
uint32_t net_ring_free(const struct net_ring *r);

// Sequence numbers compared modulo 2^32 (RFC 793, 3.3).
static inline int net_seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static inline int net_seq_le(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

// net_dhcp.c, net_tftp.c: their sockets' datagrams, after each input
void net_dhcp_poll_input(struct net_stack *s);
void net_dhcp_tick(struct net_stack *s);
void net_tftp_poll_input(struct net_stack *s);
void net_tftp_tick(struct net_stack *s);

#endif
