/* TCP over the test wire: a connected pair, and transfers checked byte
 * for byte (wire.h). */
#include "wire.h"

#include <criterion/criterion.h>
#include <stdlib.h>

uint8_t wire_pattern(size_t i, unsigned seed)
{
    uint32_t x = (uint32_t)(i / 251) * 2654435761u + seed;
    return (uint8_t)(x >> 13 ^ i);
}

struct accept_wait {
    int listener, server, client;
};

static int accepted(struct wire *w, void *ctx)
{
    struct accept_wait *a = ctx;
    if (a->server < 0)
        a->server = net_tcp_accept(w->stack[1], a->listener);
    return a->server >= 0 && net_tcp_state(w->stack[0], a->client) == NET_TCP_ESTABLISHED;
}

void wire_tcp_pair(struct wire *w, uint16_t port, int *client, int *server)
{
    struct accept_wait a = {net_tcp_listen(w->stack[1], port, 4), -1, -1};
    cr_assert_geq(a.listener, 0);
    a.client = net_tcp_connect(w->stack[0], WIRE_B_IP, port);
    cr_assert_geq(a.client, 0);
    cr_assert(wire_until(w, accepted, &a, 60000), "no connection");
    *client = a.client;
    *server = a.server;
}

struct transfer {
    int f, from, to;
    size_t n, sent, got;
    unsigned seed;
    uint8_t buf[3000];
};

/* Writes what the send buffer takes, reads what arrived, checks it. */
static int transfer_step(struct wire *w, void *ctx)
{
    struct transfer *t = ctx;
    while (t->sent < t->n) {
        size_t k = t->n - t->sent < sizeof t->buf ? t->n - t->sent : sizeof t->buf;
        for (size_t i = 0; i < k; i++)
            t->buf[i] = wire_pattern(t->sent + i, t->seed);
        int r = net_tcp_send(w->stack[t->f], t->from, t->buf, (uint32_t)k);
        if (r == NET_E_AGAIN)
            break;
        cr_assert_gt(r, 0, "send: %d", r);
        t->sent += (size_t)r;
    }
    for (;;) {
        int r = net_tcp_recv(w->stack[!t->f], t->to, t->buf, 1000);
        if (r == NET_E_AGAIN || r == 0)
            break;
        cr_assert_gt(r, 0, "recv: %d", r);
        for (int i = 0; i < r; i++)
            cr_assert_eq(t->buf[i], wire_pattern(t->got + (size_t)i, t->seed), "byte %zu differs",
                         t->got + (size_t)i);
        t->got += (size_t)r;
    }
    return t->got == t->n;
}

size_t wire_tcp_transfer(struct wire *w, int f, int from, int to, size_t n, unsigned seed,
                         unsigned ms)
{
    struct transfer *t = calloc(1, sizeof *t);
    *t = (struct transfer){.f = f, .from = from, .to = to, .n = n, .seed = seed};
    wire_until(w, transfer_step, t, ms);
    size_t got = t->got;
    free(t);
    return got;
}
