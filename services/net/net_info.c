// What ifconfig and netstat show: the counters by index and name, and the
// sockets in use with their TCP states.
#include "net_internal.h"

static const char *const counter_names[] = {
#define NET_COUNTER_NAME(name, text) #name,
    NET_COUNTERS(NET_COUNTER_NAME)
#undef NET_COUNTER_NAME
};

#define COUNTERS (sizeof counter_names / sizeof counter_names[0])

// net_counter reads the fields as an array: no padding, one per name.
_Static_assert(sizeof(struct net_counters) == COUNTERS * sizeof(uint64_t), "counters");

const char *net_counter_name(unsigned i)
{
    return i < COUNTERS ? counter_names[i] : 0;
}

// The counters are uint64_t fields in declaration order, the names' order.
uint64_t net_counter(const struct net_stack *s, unsigned i)
{
    const uint64_t *all = (const uint64_t *)&s->count;
    return i < COUNTERS ? all[i] : 0;
}

const char *net_tcp_state_name(int state)
{
    static const char *const names[] = {"CLOSED",      "LISTEN",     "SYN_SENT",   "SYN_RCVD",
                                        "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT",
                                        "CLOSING",     "LAST_ACK",   "TIME_WAIT"};
    if (state < 0 || state >= (int)(sizeof names / sizeof names[0]))
        return "?";
    return names[state];
}

static void udp_info(const struct net_stack *s, int h, struct net_socket_info *info)
{
    *info = (struct net_socket_info){.kind = NET_KIND_UDP,
                                     .handle = h,
                                     .local_ip = s->ip,
                                     .local_port = s->udp[h].port,
                                     .rx_queued = s->udp[h].count};
}

static void tcp_info(const struct net_stack *s, int h, struct net_socket_info *info)
{
    const struct net_tcp_conn *c = &s->tcp[h];
    *info = (struct net_socket_info){.kind = NET_KIND_TCP,
                                     .handle = h,
                                     .state = c->state,
                                     .local_ip = c->local_ip,
                                     .remote_ip = c->remote_ip,
                                     .local_port = c->local_port,
                                     .remote_port = c->remote_port,
                                     .rx_queued = c->rcv.len,
                                     .tx_queued = c->snd.len};
}

// The I-th socket in use: UDP sockets first, then TCP connections that
// are not CLOSED or are still held by a caller.
int net_socket_info(const struct net_stack *s, unsigned i, struct net_socket_info *info)
{
    for (int h = 0; h < NET_UDP_SOCKETS; h++)
        if (s->udp[h].used && i-- == 0)
            return udp_info(s, h, info), NET_OK;
    for (int h = 0; h < NET_TCP_CONNS; h++) {
        const struct net_tcp_conn *c = &s->tcp[h];
        if ((c->state != NET_TCP_CLOSED || c->owned) && i-- == 0)
            return tcp_info(s, h, info), NET_OK;
    }
    return NET_E_INVAL;
}
