// The DHCP client (RFC 2131), enough for one lease: DISCOVER, OFFER,
// REQUEST, ACK, each broadcast from 0.0.0.0 and retried every
// DHCP_RETRY_MS up to NET_DHCP_TRIES times. The ACK configures the stack
// (address, netmask, router). No renewal: the lease's length is reported,
// and QEMU's lease (a day) outlives the tests.
#include "net_internal.h"

#define DHCP_RETRY_MS 2000
#define DHCP_CLIENT   68
#define DHCP_SERVER   67
#define DHCP_OPTIONS  240 // after the fixed fields and the magic cookie
#define DHCP_MIN_LEN  300 // BOOTP's size, which some servers insist on
#define DHCP_MAGIC    0x63825363u
#define DHCP_DISCOVER 1
#define DHCP_OFFER    2
#define DHCP_REQUEST  3
#define DHCP_ACK      5
#define DHCP_NAK      6

enum { DHCP_IDLE, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_FAILED };

// The options a reply carried that we use.
struct dhcp_reply {
    uint8_t type;
    uint32_t yiaddr, server, netmask, router, lease;
};

static uint8_t *dhcp_option(uint8_t *o, uint8_t code, uint8_t len, uint32_t value)
{
    o[0] = code;
    o[1] = len;
    if (len == 1)
        o[2] = (uint8_t)value;
    else
        net_put32(o + 2, value);
    return o + 2 + len;
}

// A DISCOVER, or a REQUEST for the offered address, to everyone.
static void dhcp_send(struct net_stack *s, uint8_t type)
{
    uint8_t m[DHCP_MIN_LEN];
    memset(m, 0, sizeof m);
    m[0] = 1; // BOOTREQUEST
    m[1] = 1; // Ethernet
    m[2] = 6;
    net_put32(m + 4, s->dhcp.xid);
    net_put16(m + 10, 0x8000); // answer by broadcast: we have no address yet
    memcpy(m + 28, s->mac, 6);
    net_put32(m + 236, DHCP_MAGIC);
    uint8_t *o = dhcp_option(m + DHCP_OPTIONS, 53, 1, type);
    if (type == DHCP_REQUEST) {
        o = dhcp_option(o, 50, 4, s->dhcp.offered);
        o = dhcp_option(o, 54, 4, s->dhcp.server);
    }
    static const uint8_t wanted[] = {55, 3, 1, 3, 51}; // netmask, router, lease
    memcpy(o, wanted, sizeof wanted);
    o[sizeof wanted] = 255;
    net_udp_sendto(s, s->dhcp.sock, NET_BROADCAST, DHCP_SERVER, m, sizeof m);
    s->dhcp.deadline = s->now + DHCP_RETRY_MS;
}

// The options field by field, each length checked against the message.
static void dhcp_parse_options(const uint8_t *o, uint32_t len, struct dhcp_reply *r)
{
    uint32_t i = 0;
    while (i < len && o[i] != 255) {
        if (o[i] == 0) {
            i++;
            continue;
        }
        if (i + 2 > len || i + 2 + o[i + 1] > len)
            return;
        uint8_t code = o[i], n = o[i + 1];
        const uint8_t *v = o + i + 2;
        if (code == 53 && n == 1)
            r->type = v[0];
        else if (n >= 4 && (code == 54 || code == 1 || code == 3 || code == 51)) {
            uint32_t x = net_get32(v);
            if (code == 54)
                r->server = x;
            else if (code == 1)
                r->netmask = x;
            else if (code == 3)
                r->router = x;
            else
                r->lease = x;
        }
        i += 2 + n;
    }
}

// A BOOTREPLY for our xid and MAC; 0 if not one.
static int dhcp_parse(const struct net_stack *s, const uint8_t *m, uint32_t len,
                      struct dhcp_reply *r)
{
    if (len < DHCP_OPTIONS || m[0] != 2 || net_get32(m + 4) != s->dhcp.xid ||
        memcmp(m + 28, s->mac, 6) != 0 || net_get32(m + 236) != DHCP_MAGIC)
        return 0;
    memset(r, 0, sizeof *r);
    r->yiaddr = net_get32(m + 16);
    dhcp_parse_options(m + DHCP_OPTIONS, len - DHCP_OPTIONS, r);
    return r->type != 0;
}

static void dhcp_bound(struct net_stack *s, const struct dhcp_reply *r)
{
    s->dhcp.lease.ip = r->yiaddr;
    s->dhcp.lease.netmask = r->netmask ? r->netmask : 0xFFFFFF00u;
    s->dhcp.lease.router = r->router;
    s->dhcp.lease.server = s->dhcp.server;
    s->dhcp.lease.seconds = r->lease;
    net_configure(s, r->yiaddr, s->dhcp.lease.netmask, r->router);
    s->dhcp.state = DHCP_BOUND;
    net_udp_close(s, s->dhcp.sock);
    s->dhcp.sock = -1;
    net_wake(s, NET_KIND_DHCP, 0);
}

static void dhcp_reply(struct net_stack *s, const struct dhcp_reply *r, uint32_t src)
{
    if (s->dhcp.state == DHCP_SELECTING && r->type == DHCP_OFFER && r->yiaddr) {
        s->dhcp.offered = r->yiaddr;
        s->dhcp.server = r->server ? r->server : src;
        s->dhcp.state = DHCP_REQUESTING;
        s->dhcp.tries = 0;
        dhcp_send(s, DHCP_REQUEST);
    } else if (s->dhcp.state == DHCP_REQUESTING && r->type == DHCP_ACK &&
               r->yiaddr == s->dhcp.offered) {
        dhcp_bound(s, r);
    } else if (s->dhcp.state == DHCP_REQUESTING && r->type == DHCP_NAK) {
        s->dhcp.state = DHCP_SELECTING; // start over
        dhcp_send(s, DHCP_DISCOVER);
    } else {
        NET_COUNT(s, dhcp_ignored);
    }
}

// Each datagram in a zeroed buffer: a parser bug would read zeros past
// its end, never an earlier message.
void net_dhcp_poll_input(struct net_stack *s)
{
    uint8_t m[NET_UDP_MAX];
    uint32_t src;
    while (s->dhcp.sock >= 0) {
        memset(m, 0, sizeof m);
        int n = net_udp_recvfrom(s, s->dhcp.sock, m, sizeof m, &src, 0);
        if (n < 0)
            return;
        struct dhcp_reply r;
        if (dhcp_parse(s, m, (uint32_t)n, &r))
            dhcp_reply(s, &r, src);
        else
            NET_COUNT(s, dhcp_ignored);
    }
}

int net_dhcp_start(struct net_stack *s)
{
    s->now = s->ops.now_ms(s->ops.ctx);
    if (s->dhcp.sock < 0) {
        int h = net_udp_open(s, DHCP_CLIENT);
        if (h < 0)
            return h;
        s->dhcp.sock = (int8_t)h;
    }
    net_configure(s, 0, 0, 0);
    s->dhcp.xid = net_random(s);
    s->dhcp.state = DHCP_SELECTING;
    s->dhcp.tries = 0;
    dhcp_send(s, DHCP_DISCOVER);
    return NET_OK;
}

void net_dhcp_tick(struct net_stack *s)
{
    int waiting = s->dhcp.state == DHCP_SELECTING || s->dhcp.state == DHCP_REQUESTING;
    if (!waiting || s->now < s->dhcp.deadline)
        return;
    if (++s->dhcp.tries >= NET_DHCP_TRIES) {
        s->dhcp.state = DHCP_FAILED;
        net_udp_close(s, s->dhcp.sock);
        s->dhcp.sock = -1;
        net_wake(s, NET_KIND_DHCP, 0);
        return;
    }
    dhcp_send(s, s->dhcp.state == DHCP_SELECTING ? DHCP_DISCOVER : DHCP_REQUEST);
}

int net_dhcp_poll(struct net_stack *s, struct net_lease *lease)
{
    if (s->dhcp.state == DHCP_BOUND) {
        *lease = s->dhcp.lease;
        return NET_OK;
    }
    if (s->dhcp.state == DHCP_FAILED)
        return NET_E_TIMEDOUT;
    return s->dhcp.state == DHCP_IDLE ? NET_E_INVAL : NET_E_AGAIN;
}
