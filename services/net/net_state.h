// The stack's state: every pool a fixed array, so the caller can allocate
// struct net_stack statically and nothing in it grows. The bounds below
// are the stack's whole memory (about 300 KiB).
#ifndef SERVICES_NET_NET_STATE_H
#define SERVICES_NET_NET_STATE_H

#include <stdint.h>

#define NET_ETH_MAX     1514 // Ethernet II without FCS
#define NET_MTU         1500
#define NET_UDP_MAX     1472 // one datagram in one frame
#define NET_TCP_MSS     1460
#define NET_ARP_ENTRIES 16
#define NET_ARP_PENDING 8 // frames waiting for an answer, stack-wide
#define NET_UDP_SOCKETS 8
#define NET_UDP_QUEUE   4 // datagrams each socket holds
#define NET_TCP_CONNS   16
#define NET_TCP_BUF     8192 // each connection's send and receive buffer
#define NET_PINGS       4
#define NET_DHCP_TRIES  4

// What the caller supplies (net.h says how each is used).
struct net_ops {
    void *ctx;
    void (*send_frame)(void *ctx, const void *frame, uint32_t len);
    uint64_t (*now_ms)(void *ctx);
    void (*wake)(void *ctx, int kind, int handle);
};

// The counters, by name and meaning: X(field, "what it counts").
#define NET_COUNTERS(X)                                                                            \
    X(frames_in, "frames received")                                                                \
    X(frames_out, "frames sent")                                                                   \
    X(eth_truncated, "frames shorter than their headers")                                          \
    X(eth_not_for_us, "frames for another MAC")                                                    \
    X(eth_unknown_type, "frames of an unknown ethertype")                                          \
    X(arp_bad, "ARP packets malformed or not Ethernet/IPv4")                                       \
    X(arp_not_for_us, "ARP requests for another address")                                          \
    X(arp_requests, "ARP requests sent")                                                           \
    X(arp_replies, "ARP replies sent")                                                             \
    X(arp_unresolved, "ARP resolutions given up")                                                  \
    X(arp_queue_full, "frames dropped waiting for ARP")                                            \
    X(ip_truncated, "IPv4 packets shorter than their headers")                                     \
    X(ip_bad_version, "IPv4 packets of another version")                                           \
    X(ip_bad_header_len, "IPv4 header lengths invalid")                                            \
    X(ip_bad_total_len, "IPv4 total lengths invalid")                                              \
    X(ip_bad_checksum, "IPv4 header checksums wrong")                                              \
    X(ip_fragments, "IPv4 fragments refused")                                                      \
    X(ip_not_for_us, "IPv4 packets for another address")                                           \
    X(ip_unknown_protocol, "IPv4 packets of an unknown protocol")                                  \
    X(icmp_truncated, "ICMP messages truncated")                                                   \
    X(icmp_bad_checksum, "ICMP checksums wrong")                                                   \
    X(icmp_echo_answered, "pings answered")                                                        \
    X(icmp_ignored, "ICMP messages ignored")                                                       \
    X(udp_truncated, "UDP datagrams truncated")                                                    \
    X(udp_bad_length, "UDP length fields invalid")                                                 \
    X(udp_bad_checksum, "UDP checksums wrong")                                                     \
    X(udp_no_socket, "UDP datagrams for no socket")                                                \
    X(udp_queue_full, "UDP datagrams dropped on a full queue")                                     \
    X(tcp_truncated, "TCP segments truncated")                                                     \
    X(tcp_bad_offset, "TCP data offsets invalid")                                                  \
    X(tcp_bad_checksum, "TCP checksums wrong")                                                     \
    X(tcp_no_connection, "TCP segments for no connection (RST sent)")                              \
    X(tcp_outside_window, "TCP segments outside the window")                                       \
    X(tcp_out_of_order, "TCP segments ahead of the next expected")                                 \
    X(tcp_bad_ack, "TCP segments acknowledging unsent data")                                       \
    X(tcp_syn_flood, "SYNs dropped or half-open connections evicted")                              \
    X(tcp_resets_sent, "TCP resets sent")                                                          \
    X(tcp_resets_received, "TCP connections reset by the peer")                                    \
    X(tcp_retransmits, "TCP retransmission timeouts")                                              \
    X(tcp_gave_up, "TCP connections given up after retransmissions")                               \
    X(tcp_probes, "TCP zero-window probes")                                                        \
    X(dhcp_ignored, "DHCP messages ignored")                                                       \
    X(tftp_ignored, "TFTP packets ignored")

struct net_counters {
#define NET_COUNTER_FIELD(name, text) uint64_t name;
    NET_COUNTERS(NET_COUNTER_FIELD)
#undef NET_COUNTER_FIELD
};

enum net_arp_state { NET_ARP_FREE, NET_ARP_PENDING_STATE, NET_ARP_RESOLVED, NET_ARP_FAILED };

struct net_arp_entry {
    uint32_t ip;
    uint8_t mac[6];
    uint8_t state;     // enum net_arp_state
    uint8_t tries;     // requests sent while pending
    uint64_t deadline; // pending: next retry; resolved, failed: expiry
};

// A whole frame waiting for its next hop's MAC.
struct net_pending {
    uint32_t next_hop;
    uint16_t len; // 0: free
    uint8_t frame[NET_ETH_MAX];
};

struct net_udp_dgram {
    uint32_t ip;
    uint16_t port;
    uint16_t len;
    uint8_t data[NET_UDP_MAX];
};

struct net_udp_sock {
    uint8_t used;
    uint8_t head, count; // the queue: count datagrams from q[head]
    uint16_t port;
    uint32_t received; // datagrams, for netstat
    struct net_udp_dgram q[NET_UDP_QUEUE];
};

enum net_tcp_state {
    NET_TCP_CLOSED,
    NET_TCP_LISTEN,
    NET_TCP_SYN_SENT,
    NET_TCP_SYN_RCVD,
    NET_TCP_ESTABLISHED,
    NET_TCP_FIN_WAIT_1,
    NET_TCP_FIN_WAIT_2,
    NET_TCP_CLOSE_WAIT,
    NET_TCP_CLOSING,
    NET_TCP_LAST_ACK,
    NET_TCP_TIME_WAIT,
};

// A byte ring: len bytes from data[head].
struct net_ring {
    uint32_t head, len;
    uint8_t data[NET_TCP_BUF];
};

struct net_tcp_conn {
    uint8_t state;    // enum net_tcp_state; CLOSED and !owned: free
    uint8_t owned;    // the caller holds the handle
    uint8_t accepted; // a listener's child handed out by accept
    uint8_t fin_queued, fin_received;
    int8_t parent;    // the listener of a passive open, else -1
    int8_t error;     // enum net_error once failed
    uint16_t backlog; // LISTEN: children allowed not yet accepted
    uint32_t local_ip, remote_ip;
    uint16_t local_port, remote_port;
    // send side: snd_una <= snd_nxt <= snd_max (go-back-N rewinds snd_nxt)
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, data_seq; // data_seq: send ring's first
    uint16_t peer_mss;
    // receive side
    uint32_t rcv_nxt, rcv_adv; // rcv_adv: the window's right edge we announced
    uint8_t ack_now;
    // timers (0: off)
    uint64_t rtx_deadline, persist_deadline, wait_deadline;
    uint32_t rto, persist_ms;
    uint8_t retries;
    // round trip (RFC 6298), one segment timed at a time (Karn)
    uint8_t timing;
    uint32_t timed_seq, srtt, rttvar;
    uint64_t timed_at;
    uint64_t born; // evicting the oldest half-open one
    struct net_ring snd, rcv;
};

struct net_ping {
    uint8_t used, done;
    uint16_t id, seq;
    uint32_t ip, rtt;
    uint64_t sent;
};

// What a DHCP ACK gave (net_dhcp_poll).
struct net_lease {
    uint32_t ip, netmask, router, server, seconds;
};

struct net_dhcp {
    uint8_t state; // net_dhcp.c
    uint8_t tries;
    int8_t sock;
    uint32_t xid;
    uint64_t deadline;
    uint32_t offered, server;
    struct net_lease lease;
};

struct net_tftp {
    uint8_t state; // net_tftp.c
    uint8_t tries;
    int8_t sock;
    int result;
    uint32_t server;
    uint16_t tid;   // the server's port for this transfer, 0 until DATA 1
    uint16_t block; // the last block received
    uint8_t *buf;
    uint32_t cap, len;
    uint64_t deadline;
    char name[128];
};

struct net_stack {
    uint8_t mac[6];
    uint32_t ip, netmask, router;
    struct net_ops ops;
    uint64_t now;
    uint32_t random;
    uint16_t next_port;
    uint16_t ip_id;
    struct net_counters count;
    struct net_arp_entry arp[NET_ARP_ENTRIES];
    struct net_pending pending[NET_ARP_PENDING];
    struct net_udp_sock udp[NET_UDP_SOCKETS];
    struct net_tcp_conn tcp[NET_TCP_CONNS];
    struct net_ping ping[NET_PINGS];
    struct net_dhcp dhcp;
    struct net_tftp tftp;
    uint8_t tx[NET_ETH_MAX]; // the frame being built
};

#endif
