// The Internet checksum (RFC 1071): the ones' complement of the ones'
// complement sum of 16-bit words, shared by IPv4, ICMP, UDP and TCP.
#include "net_internal.h"

// Adds LEN bytes at P to SUM, an odd last byte as its word's high half.
// Callers add their parts in order, each but the last of even length.
uint32_t net_sum_add(uint32_t sum, const uint8_t *p, uint32_t len)
{
    uint32_t i = 0;
    for (; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (i < len)
        sum += (uint32_t)p[i] << 8;
    return sum;
}

// The folded complement: what goes into the header, and 0 when a header
// holding its checksum is summed again.
uint16_t net_sum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

// UDP's and TCP's pseudo header: the addresses, protocol and length.
uint32_t net_sum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len)
{
    return (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF) + proto + len;
}
