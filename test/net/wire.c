/* The test network of wire.h. */
#include "wire.h"

#include "frames.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

const uint8_t wire_mac[2][6] = {{0x52, 0x54, 0x00, 0x12, 0x34, 0x56},
                                {0x52, 0x54, 0x00, 0x00, 0x00, 0x02}};

static uint32_t wire_rand(struct wire *w)
{
    w->seed = w->seed * 1103515245u + 12345u;
    return w->seed >> 8;
}

static int wire_chance(struct wire *w, unsigned pct)
{
    return pct && wire_rand(w) % 100 < pct;
}

/* Each stack's ops.ctx is a small record naming its wire and end. */
struct wire_end {
    struct wire *w;
    int end;
};

static void enqueue(struct wire *w, int to, const uint8_t *f, uint32_t len)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->q = realloc(w->q, w->cap * sizeof *w->q);
    }
    size_t at = w->n;
    if (w->n && wire_chance(w, w->faults.reorder))
        at = wire_rand(w) % w->n;
    memmove(&w->q[at + 1], &w->q[at], (w->n - at) * sizeof *w->q);
    struct wire_frame *q = &w->q[at];
    q->to = to;
    q->len = len;
    q->due = w->now + w->delay_ms;
    memcpy(q->data, f, len);
    w->n++;
}

/* A stack sent a frame: faults, then onto the wire. */
static void wire_send(void *ctx, const void *frame, uint32_t len)
{
    struct wire_end *e = ctx;
    struct wire *w = e->w;
    cr_assert(len >= 60 && len <= 1514, "frame of %u bytes", len);
    w->sent[e->end]++;
    if ((w->lose && w->lose(w, e->end, frame, len)) || wire_chance(w, w->faults.drop)) {
        w->dropped++;
        return;
    }
    uint8_t f[1600];
    memcpy(f, frame, len);
    if (wire_chance(w, w->faults.truncate))
        len = wire_rand(w) % len;
    if (wire_chance(w, w->faults.corrupt))
        f[wire_rand(w) % len] ^= (uint8_t)(1 + wire_rand(w) % 255);
    enqueue(w, !e->end, f, len);
    if (wire_chance(w, w->faults.duplicate))
        enqueue(w, !e->end, f, len);
}

static uint64_t wire_now(void *ctx)
{
    return ((struct wire_end *)ctx)->w->now;
}

static void wire_wake(void *ctx, int kind, int handle)
{
    struct wire_end *e = ctx;
    (void)kind;
    (void)handle;
    e->w->wakes[e->end]++;
}

static struct net_stack *wire_stack(struct wire *w, int end, uint32_t ip)
{
    struct wire_end *e = malloc(sizeof *e);
    *e = (struct wire_end){w, end};
    struct net_ops ops = {e, wire_send, wire_now, wire_wake};
    struct net_stack *s = malloc(sizeof *s);
    net_init(s, wire_mac[end], &ops, 1234567u + (uint32_t)end * 7654321u + w->seed);
    net_configure(s, ip, WIRE_MASK, 0);
    return s;
}

void wire_init(struct wire *w, uint32_t seed)
{
    memset(w, 0, sizeof *w);
    w->seed = seed;
    w->now = 1000;
    w->stack[0] = wire_stack(w, 0, WIRE_A_IP);
    w->stack[1] = wire_stack(w, 1, WIRE_B_IP);
}

static void free_stack(struct net_stack *s)
{
    if (s) {
        free(s->ops.ctx);
        free(s);
    }
}

void wire_script_end(struct wire *w, int end, wire_script *script, void *ctx)
{
    free_stack(w->stack[end]);
    w->stack[end] = NULL;
    w->script[end] = script;
    w->script_ctx = ctx;
}

void wire_inject(struct wire *w, int to, const void *frame, uint32_t len)
{
    enqueue(w, to, frame, len);
}

void wire_deliver(struct wire *w)
{
    for (unsigned guard = 0; guard < 1000000; guard++) {
        size_t i = 0;
        while (i < w->n && w->q[i].due > w->now)
            i++;
        if (i == w->n)
            return;
        struct wire_frame f = w->q[i];
        memmove(&w->q[i], &w->q[i + 1], (w->n - i - 1) * sizeof *w->q);
        w->n--;
        /* an exact-size copy: AddressSanitizer sees any read past the end */
        uint8_t *copy = malloc(f.len ? f.len : 1);
        memcpy(copy, f.data, f.len);
        if (w->stack[f.to])
            net_input(w->stack[f.to], copy, f.len);
        else if (w->script[f.to])
            w->script[f.to](w, copy, f.len);
        free(copy);
    }
    cr_assert_fail("the wire never went quiet");
}

void wire_advance(struct wire *w, unsigned ms)
{
    for (unsigned i = 0; i < ms; i++) {
        w->now++;
        for (int e = 0; e < 2; e++)
            if (w->stack[e])
                net_tick(w->stack[e], w->now);
        wire_deliver(w);
    }
}

int wire_until(struct wire *w, int (*done)(struct wire *w, void *ctx), void *ctx, unsigned ms)
{
    for (unsigned i = 0; i <= ms; i++) {
        wire_deliver(w);
        if (done(w, ctx))
            return 1;
        wire_advance(w, 1);
    }
    return 0;
}

uint64_t wire_counter(struct wire *w, int end, const char *name)
{
    for (unsigned i = 0; net_counter_name(i); i++)
        if (strcmp(net_counter_name(i), name) == 0)
            return net_counter(w->stack[end], i);
    cr_assert_fail("no counter %s", name);
    return 0;
}

void wire_free(struct wire *w)
{
    free_stack(w->stack[0]);
    free_stack(w->stack[1]);
    free(w->q);
}

int wire_script_arp(struct wire *w, const uint8_t *frame, uint32_t len, uint32_t ip)
{
    struct fr_parsed p;
    if (!fr_parse(frame, len, &p) || p.type != 0x0806)
        return 0;
    if (p.arp_op == 1 && p.dst == ip) {
        uint8_t f[1600];
        size_t n = fr_arp(f, frame + 6, wire_mac[1], 2, ip, frame + 6, p.src);
        wire_inject(w, 0, f, (uint32_t)n);
    }
    return 1;
}
