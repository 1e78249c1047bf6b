// A TFTP read client (RFC 1350, octet mode): RRQ to port 69, then each
// DATA block (512 bytes; a shorter one is the last) answered by its ACK
// from the port the server chose (its TID). A timeout sends the last
// packet again, up to TFTP_TRIES times. After the last ACK we do not
// linger for a repeated last block.
#include "net_internal.h"

#define TFTP_PORT     69
#define TFTP_BLOCK    512
#define TFTP_RETRY_MS 1000
#define TFTP_TRIES    5
#define TFTP_RRQ      1
#define TFTP_DATA     3
#define TFTP_ACK      4
#define TFTP_ERROR    5

enum { TFTP_IDLE, TFTP_RUNNING, TFTP_DONE };

// The RRQ before the first block, then the ACK of the last block taken.
static void tftp_send(struct net_stack *s)
{
    struct net_tftp *t = &s->tftp;
    uint8_t m[4 + sizeof t->name + 6];
    uint32_t n;
    if (!t->tid) {
        uint32_t len = (uint32_t)strlen(t->name);
        net_put16(m, TFTP_RRQ);
        memcpy(m + 2, t->name, len + 1);
        memcpy(m + 3 + len, "octet", 6);
        n = 2 + len + 1 + 6;
    } else {
        net_put16(m, TFTP_ACK);
        net_put16(m + 2, t->block);
        n = 4;
    }
    net_udp_sendto(s, t->sock, t->server, t->tid ? t->tid : TFTP_PORT, m, n);
    t->deadline = s->now + TFTP_RETRY_MS;
}

static void tftp_finish(struct net_stack *s, int result)
{
    s->tftp.state = TFTP_DONE;
    s->tftp.result = result;
    net_udp_close(s, s->tftp.sock);
    s->tftp.sock = -1;
    net_wake(s, NET_KIND_TFTP, 0);
}

// A DATA packet of LEN bytes (header included): the next block is kept
// and acknowledged, the previous one acknowledged again (our ACK was
// lost), anything else ignored.
static void tftp_data(struct net_stack *s, const uint8_t *m, uint32_t len)
{
    struct net_tftp *t = &s->tftp;
    uint16_t block = net_get16(m + 2);
    uint32_t n = len - 4;
    if (n > TFTP_BLOCK || (block != (uint16_t)(t->block + 1) && block != t->block)) {
        NET_COUNT(s, tftp_ignored);
        return;
    }
    if (block == t->block) {
        tftp_send(s);
        return;
    }
    if (n > t->cap - t->len) {
        tftp_finish(s, NET_E_MSGSIZE);
        return;
    }
    memcpy(t->buf + t->len, m + 4, n);
    t->len += n;
    t->block = block;
    t->tries = 0;
    tftp_send(s);
    if (n < TFTP_BLOCK)
        tftp_finish(s, (int)t->len);
}

static void tftp_packet(struct net_stack *s, const uint8_t *m, uint32_t len, uint32_t ip,
                        uint16_t port)
{
    struct net_tftp *t = &s->tftp;
    if (ip != t->server || len < 4 || (t->tid && port != t->tid)) {
        NET_COUNT(s, tftp_ignored);
        return;
    }
    uint16_t op = net_get16(m);
    if (op == TFTP_ERROR) {
        tftp_finish(s, NET_E_REFUSED);
    } else if (op == TFTP_DATA) {
        if (!t->tid && net_get16(m + 2) == 1)
            t->tid = port; // the server's end of this transfer
        if (t->tid)
            tftp_data(s, m, len);
    } else {
        NET_COUNT(s, tftp_ignored);
    }
}

void net_tftp_poll_input(struct net_stack *s)
{
    uint8_t m[NET_UDP_MAX];
    uint32_t ip;
    uint16_t port;
    int n;
    while (s->tftp.sock >= 0 &&
           (n = net_udp_recvfrom(s, s->tftp.sock, m, sizeof m, &ip, &port)) >= 0)
        tftp_packet(s, m, (uint32_t)n < sizeof m ? (uint32_t)n : sizeof m, ip, port);
}

int net_tftp_start(struct net_stack *s, uint32_t server, const char *name, void *buf, uint32_t cap)
{
    struct net_tftp *t = &s->tftp;
    uint32_t len = (uint32_t)strlen(name);
    if (!len || len >= sizeof t->name || !server)
        return NET_E_INVAL;
    if (t->state == TFTP_RUNNING)
        return NET_E_INUSE;
    int h = net_udp_open(s, 0);
    if (h < 0)
        return h;
    s->now = s->ops.now_ms(s->ops.ctx);
    *t = (struct net_tftp){
        .state = TFTP_RUNNING, .sock = (int8_t)h, .server = server, .buf = buf, .cap = cap};
    memcpy(t->name, name, len + 1);
    tftp_send(s);
    return NET_OK;
}

void net_tftp_tick(struct net_stack *s)
{
    struct net_tftp *t = &s->tftp;
    if (t->state != TFTP_RUNNING || s->now < t->deadline)
        return;
    if (++t->tries >= TFTP_TRIES)
        tftp_finish(s, NET_E_TIMEDOUT);
    else
        tftp_send(s);
}

int net_tftp_poll(struct net_stack *s)
{
    if (s->tftp.state == TFTP_RUNNING)
        return NET_E_AGAIN;
    return s->tftp.state == TFTP_DONE ? s->tftp.result : NET_E_INVAL;
}
