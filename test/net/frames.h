/* The tests' own packets, written from the RFCs independently of
 * services/net's encoders: whole Ethernet frames for ARP, IPv4, ICMP, UDP
 * and TCP, and a parser of what a stack sent. Addresses in host order. */
#ifndef TEST_NET_FRAMES_H
#define TEST_NET_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define FR_FIN 0x01
#define FR_SYN 0x02
#define FR_RST 0x04
#define FR_PSH 0x08
#define FR_ACK 0x10

/* The Internet checksum of N bytes after INIT (a partial sum). */
uint16_t fr_sum(const uint8_t *p, size_t n, uint32_t init);

/* Each builds a whole frame into F (1600 bytes) and returns its length.
 * DST is the destination MAC, SRC the source MAC. */
size_t fr_arp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t op,
              uint32_t sender_ip, const uint8_t target_mac[6], uint32_t target_ip);
size_t fr_ip(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
             uint8_t proto, const uint8_t *payload, size_t n);
size_t fr_udp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
              uint16_t sport, uint16_t dport, const void *data, size_t n);
size_t fr_tcp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
              uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
              uint16_t window, const void *data, size_t n);
size_t fr_icmp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
               uint8_t type, uint16_t id, uint16_t seq, const void *data, size_t n);

/* A frame a stack sent, taken apart (0 if not IPv4 or ARP). */
struct fr_parsed {
    uint16_t type;     /* ethertype */
    uint16_t arp_op;   /* ARP */
    uint32_t src, dst; /* IPv4 or ARP sender and target */
    uint8_t proto;     /* IPv4 */
    uint16_t sport, dport;
    uint32_t seq, ack; /* TCP */
    uint8_t flags;
    uint16_t window;
    const uint8_t *data; /* UDP, TCP and ICMP payload (ICMP: from its type) */
    size_t len;
};
int fr_parse(const uint8_t *f, size_t len, struct fr_parsed *p);

#endif
