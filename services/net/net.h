// The network stack: Ethernet II, ARP, IPv4, ICMP echo, UDP, TCP, and the
// DHCP and TFTP clients, as pure freestanding C (memcpy, memset, memcmp
// only; no allocation, no threads), so the same code runs in the net
// service and in the host tests (configure: host_service_srcs).
//
// The caller drives it: net_input with each received frame, net_tick with
// the time every 10 to 100 ms (timers: ARP retries, TCP retransmission,
// DHCP and TFTP; the shortest, TCP's least RTO, is 200 ms), and the socket calls, which never wait:
// where a blocking API would sleep they return NET_E_AGAIN and the caller waits for its wake
// callback (or the next tick) and calls again. One thread at a time: the caller serializes every
// call on a stack.
//
// Every pool is a fixed array in struct net_stack (net_state.h), which the
// caller allocates (statically in the service); nothing grows under load.
#ifndef SERVICES_NET_NET_H
#define SERVICES_NET_NET_H

#include <stdint.h>

#include "net_state.h"

// Results: 0 or a count is success, a negative value one of these.
enum net_error {
    NET_OK = 0,
    NET_E_AGAIN = -1,    // would block: wait for wake, then call again
    NET_E_INVAL = -2,    // bad handle or argument
    NET_E_NOMEM = -3,    // every slot of that pool is in use
    NET_E_INUSE = -4,    // the port is bound already
    NET_E_UNREACH = -5,  // ARP gave up on the next hop
    NET_E_TIMEDOUT = -6, // retransmissions gave up
    NET_E_RESET = -7,    // the peer reset the connection
    NET_E_CLOSED = -8,   // sending after shutdown, or on a closed connection
    NET_E_MSGSIZE = -9,  // a datagram larger than one frame (no fragments)
    NET_E_REFUSED = -10, // TFTP: the server answered with an error
};

// What the caller supplies. send_frame gets a whole Ethernet frame (at
// least 60 bytes, no FCS) and must copy it before returning. now_ms is a
// monotonic clock in milliseconds. wake (may be NULL) says that socket
// HANDLE of the given kind may now succeed where it returned NET_E_AGAIN
// (data, space, a connection, an error); it is called from inside the
// stack, so it must only signal, never call back in. (struct net_ops is
// in net_state.h.)
enum net_kind { NET_KIND_UDP, NET_KIND_TCP, NET_KIND_PING, NET_KIND_DHCP, NET_KIND_TFTP };

// Addresses are host-order uint32_t (10.0.2.15 is 0x0A00020F).
#define NET_IP(a, b, c, d) (((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

// net_stack.c: the stack as a whole
void net_init(struct net_stack *s, const uint8_t mac[6], const struct net_ops *ops,
              uint32_t seed); // seed: for ISNs, ports and DHCP's xid
void net_configure(struct net_stack *s, uint32_t ip, uint32_t netmask, uint32_t router);
void net_input(struct net_stack *s, const void *frame, uint32_t len);
void net_tick(struct net_stack *s, uint64_t now_ms);

// net_udp.c: datagram sockets. Port 0 binds an ephemeral port. recvfrom
// copies at most LEN bytes of the oldest datagram (the rest is dropped) and
// returns its full length; each socket queues NET_UDP_QUEUE datagrams,
// then drops (counted).
int net_udp_open(struct net_stack *s, uint16_t port);
int net_udp_sendto(struct net_stack *s, int h, uint32_t ip, uint16_t port, const void *buf,
                   uint32_t len);
int net_udp_recvfrom(struct net_stack *s, int h, void *buf, uint32_t len, uint32_t *ip,
                     uint16_t *port);
int net_udp_close(struct net_stack *s, int h);
uint16_t net_udp_port(const struct net_stack *s, int h);

// net_tcp.c: stream sockets. connect and accept return a handle at once;
// send queues what fits in the send buffer (a count, or NET_E_AGAIN when
// full), recv returns what arrived (0 at the peer's FIN). shutdown sends
// our FIN and keeps the handle for reading; close is shutdown plus giving
// the handle back (the stack finishes the close alone); abort sends RST.
int net_tcp_connect(struct net_stack *s, uint32_t ip, uint16_t port);
int net_tcp_listen(struct net_stack *s, uint16_t port, unsigned backlog);
int net_tcp_accept(struct net_stack *s, int listener);
int net_tcp_send(struct net_stack *s, int h, const void *buf, uint32_t len);
int net_tcp_recv(struct net_stack *s, int h, void *buf, uint32_t len);
int net_tcp_shutdown(struct net_stack *s, int h);
int net_tcp_close(struct net_stack *s, int h);
int net_tcp_abort(struct net_stack *s, int h);
// The connection's state (enum net_tcp_state), or NET_E_INVAL; a
// connection that failed reports its error (NET_E_RESET, NET_E_TIMEDOUT,
// NET_E_UNREACH) from every call until closed.
int net_tcp_state(const struct net_stack *s, int h);
int net_tcp_error(const struct net_stack *s, int h);

// net_icmp.c: ping. start sends one echo request of LEN payload bytes and
// returns a handle; poll returns NET_OK with the round trip in *RTT_MS once
// the matching reply (id and sequence) came, else NET_E_AGAIN; the caller
// decides when to give up and frees the handle with net_ping_free.
int net_ping_start(struct net_stack *s, uint32_t ip, uint16_t id, uint16_t seq, uint32_t len);
int net_ping_poll(struct net_stack *s, int h, uint32_t *rtt_ms);
void net_ping_free(struct net_stack *s, int h);

// net_dhcp.c: the DHCP client. start begins DISCOVER; poll is NET_E_AGAIN
// until the stack is configured from an ACK (then NET_OK and *LEASE
// filled), or NET_E_TIMEDOUT after NET_DHCP_TRIES unanswered rounds.
int net_dhcp_start(struct net_stack *s);
int net_dhcp_poll(struct net_stack *s, struct net_lease *lease);

// net_tftp.c: a TFTP read (RFC 1350, octet mode) of NAME from SERVER into
// BUF. poll: NET_E_AGAIN while running, then the file's length, or
// NET_E_TIMEDOUT, NET_E_REFUSED (the server's error), NET_E_MSGSIZE (more
// than CAP bytes). One transfer at a time.
int net_tftp_start(struct net_stack *s, uint32_t server, const char *name, void *buf, uint32_t cap);
int net_tftp_poll(struct net_stack *s);

// net_info.c: for ifconfig and netstat. Counters by index (names in
// net_counter_name, NULL past the last), and the sockets one by one:
// net_socket_info fills *INFO for the I-th socket in use and returns
// NET_OK, or NET_E_INVAL past the last.
uint64_t net_counter(const struct net_stack *s, unsigned i);
const char *net_counter_name(unsigned i);
struct net_socket_info {
    int kind; // NET_KIND_UDP or NET_KIND_TCP
    int handle;
    int state; // TCP: enum net_tcp_state
    uint32_t local_ip, remote_ip;
    uint16_t local_port, remote_port;
    uint32_t rx_queued, tx_queued; // bytes (UDP: datagrams received)
};
int net_socket_info(const struct net_stack *s, unsigned i, struct net_socket_info *info);
const char *net_tcp_state_name(int state);
int net_arp_lookup(const struct net_stack *s, uint32_t ip, uint8_t mac[6]);

#endif
