/* A fuzzed call: its handle, method and argument block, filled from the
 * method's signature with edge values (see test_fuzz.c). */
#include "fuzz.h"
#include <string.h>

#define PG          4096u
#define ARENA_PAGES 256u
#define ARENA       (0x80000000u - ARENA_PAGES * PG) /* the top of the user range */

/* In-buffers the kernel may read past (reads harm nothing); out-buffers
 * only for single elements, so a write stays inside. */
static uint8_t inbuf[2 * PG] __attribute__((aligned(PG)));
static uint32_t outbuf[64][16] __attribute__((aligned(8)));
static unsigned nout;

static const struct com_iface_sig *const sigs[] = {
    &IUnknown_Signature,     &IAddressSpace_Signature, &IMemoryObject_Signature,
    &IProcess_Signature,     &IThread_Signature,       &IConsole_Signature,
    &INameService_Signature, &IEvent_Signature,        &ITestObject_Signature,
};
#define NSIGS (sizeof sigs / sizeof sigs[0])

static uint32_t pick(const uint32_t *v, unsigned n)
{
    return v[fz_rand() % n];
}

static uint32_t arena_addr(void)
{
    uint32_t a = ARENA + (fz_rand() % ARENA_PAGES) * PG;
    return fz_rand() % 4 ? a : a + fz_rand() % PG; /* unaligned too */
}

static uint32_t edge_value(void)
{
    static const uint32_t v[] = {0,          1,          2,          3,          4,
                                 8,          16,         0x40,       0xff,       0x100,
                                 0xfff,      0x1000,     0x1001,     0x2000,     0x10000,
                                 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0xfffff000,
                                 0xc0000000, 0x40000000, 0x20000,    0x100000,   0x4000};
    uint32_t r = fz_rand() % 8;
    if (r < 5)
        return pick(v, sizeof v / sizeof v[0]);
    return r == 5 ? arena_addr() : r == 6 ? fz_rand() & 0x4c00f : fz_rand();
}

/* An edge value for a word that may be read as a pointer to write
 * through (a raw block's): none into the fuzzer's own memory, which the
 * kernel would rightly write over (a stack word: the fuzzer died in its
 * exception handler). Below the user range, above it and the arena stay. */
static uint32_t edge_word(void)
{
    uint32_t v = edge_value();
    return v >= 0x10000u && v < ARENA ? arena_addr() : v;
}

/* A pointer that is wrong one way or another, or into the arena. */
static uint32_t edge_pointer(void)
{
    static const uint32_t v[] = {
        0,                      /* NULL */
        0x80000000,             /* the bias's target: the kernel's own space */
        0x7ffffffc,             /* runs past the user range */
        0xc0000000, 0xfffff000, /* kernel, wraps once biased */
        0xfff0,                 /* below the user range */
        0x00400001,             /* unaligned, in the image */
    };
    return fz_rand() % 3 ? arena_addr() : pick(v, sizeof v / sizeof v[0]);
}

int fz_arena_init(void)
{
    IAddressSpace *as = CurrentAddressSpace();
    ADDRESS a = ARENA;
    if (IAddressSpace_Reserve(as, &a, ARENA_PAGES * PG, 0) != S_OK || a != ARENA)
        return 1;
    IAddressSpace_Commit(as, ARENA, ARENA_PAGES * PG / 2, AS_PROT_READ | AS_PROT_WRITE);
    memset(inbuf, 'A', sizeof inbuf); /* unterminated strings past 4 KiB */
    return 0;
}

/* Whether [a, a + n) can be decommitted, protected or freed without
 * touching the fuzzer: in the arena, or refused as out of range. */
static int range_safe(uint32_t a, uint32_t n)
{
    uint64_t end = (uint64_t)a + n;
    return a < 0x10000u || a >= 0x80000000u || end > 0x80000000u || a >= ARENA;
}

static int is(const struct com_iface_sig *s, const struct com_method_sig *m, const char *iface,
              const char *name)
{
    return !strcmp(s->name, iface) && !strcmp(m->name, name);
}

/* Methods that would end, stall or overwrite the fuzzer (see test_fuzz.c). */
static int denied(const struct handle_entry *e, uint32_t method)
{
    const struct com_iface_sig *s = e->sig;
    if (!e->h) /* handle 0 is the serve trap: never Serve */
        return method == IProcess_M_Serve;
    if (e->base == FZ_UNKNOWN) /* maybe one of its own after all: see target */
        return method >= 2 && method < FZ_MAX_METHOD;
    if (method == 2)
        return e->base;
    if (method >= s->nmethods || method < 2 || !s->methods[method])
        return 0;
    const struct com_method_sig *m = s->methods[method];
    if (!strcmp(s->name, "IProcess"))
        return strcmp(m->name, "GetId") && strcmp(m->name, "GetTime") &&
               strcmp(m->name, "CreateEvent");
    return !strcmp(s->name, "IConsole") || !strcmp(s->name, "IThread") ||
           is(s, m, "IEvent", "Wait") || is(s, m, "ITestObject", "Wait") ||
           is(s, m, "IAddressSpace", "Map");
}

static void fill_value(struct fz_call *c, const struct com_arg_sig *a)
{
    uint32_t *w = &c->words[a->offset / 4];
    w[0] = edge_value();
    if (a->size == 8)
        w[1] = fz_rand() % 2 ? 0 : edge_value();
}

/* The block's words that carry a lent handle (fz_lend): any other word
 * that happens to equal a held handle is changed, or a call taking it as
 * an interface would take a reference the model does not know of. */
static uint64_t lent_words;

static void scrub(struct fz_call *c)
{
    for (unsigned i = 0; c->m && i < c->m->nargs; i++) {
        const struct com_arg_sig *a = &c->m->args[i];
        uint32_t *w = &c->words[a->offset / 4];
        if (a->kind == COM_ARG_IFACE_IN && !(lent_words >> (a->offset / 4) & 1) && fz_held(*w))
            *w ^= 0x80000000u;
    }
}

static uint32_t single_out(void)
{
    uint32_t *o = outbuf[nout++ % 64];
    memset(o, 0, 64);
    return (uint32_t)(uintptr_t)o;
}

/* Handles for an interface array argument to read at the in-buffer's head. */
static void lend_array(void)
{
    uint32_t *h = (uint32_t *)inbuf;
    for (unsigned i = 0; i < 8; i++)
        h[i] = fz_lend(fz_any_handle());
}

static int goes_out(uint8_t kind)
{
    return kind != COM_ARG_IN_PTR && kind != COM_ARG_STRING && kind != COM_ARG_IFACE_IN_ARRAY &&
           kind != COM_ARG_IFACE_IN;
}

static void fill_pointer(struct fz_call *c, const struct com_arg_sig *a)
{
    uint32_t *w = &c->words[a->offset / 4], r = fz_rand() % 4;
    if (r == 0) { /* an out buffer of a huge count from inside the user range would cover the
                     fuzzer's own memory, which the kernel would rightly fill */
        *w = edge_pointer();
        if (goes_out(a->kind) && *w >= 0x10000u && *w < ARENA)
            *w = arena_addr();
        return;
    }
    switch (a->kind) {
    case COM_ARG_IN_PTR:
    case COM_ARG_STRING:
    case COM_ARG_IFACE_IN_ARRAY:
        if (a->kind == COM_ARG_IFACE_IN_ARRAY)
            lend_array();
        if (r == 2) { /* what the readers like: an IID, a name, handles */
            *w = (uint32_t)(uintptr_t)inbuf + (a->kind == COM_ARG_STRING ? 48
                                               : a->size == sizeof(IID)  ? 32
                                                                         : 0);
            return;
        }
        *w = (uint32_t)(uintptr_t)inbuf + (r == 1 ? PG + fz_rand() % PG : fz_rand() % 64);
        return;
    case COM_ARG_IFACE_IN:
        *w = fz_lend(fz_any_handle());
        lent_words |= 1ull << (a->offset / 4);
        return;
    default: /* out and in-out: one element into outbuf, arrays into the arena */
        *w = a->size_is || a->size > 64 ? arena_addr() : single_out();
        if (a->kind == COM_ARG_INOUT_PTR && !a->size_is)
            *(uint32_t *)(uintptr_t)*w = fz_rand() % 2 ? arena_addr() : edge_value();
    }
}

/* Counts of 0 for every size_is that is one parameter, and half the time
 * the array at the user range's end: empty, but outside all the same. */
static void zero_counts(struct fz_call *c)
{
    for (unsigned i = 0; i < c->m->nargs; i++) {
        const struct com_arg_sig *a = &c->m->args[i];
        const struct com_expr_op *e = a->size_is;
        if (!e || e[0].op != COM_EXPR_PARAM || e[1].op != COM_EXPR_END || e[0].param >= c->m->nargs)
            continue;
        c->words[c->m->args[e[0].param].offset / 4] = 0;
        if (fz_rand() % 2)
            c->words[a->offset / 4] = ARENA + ARENA_PAGES * PG;
    }
}

/* Seed the in-buffer's head with what the signature's readers like: an
 * IID, a short name, and no handles (NULLs) unless lend_array lends some
 * (an array argument reading a stale held handle would take a reference
 * the model does not know of). */
static void seed_inbuf(void)
{
    memset(inbuf, 0, 32);
    const IID *iid = fz_rand() % 4 ? sigs[fz_rand() % NSIGS]->iid : (const IID *)(inbuf + 64);
    memcpy(inbuf + 32, iid, sizeof(IID));
    static const char *const names[] = {"fz0", "fz1", "console", "", "a/b", "x y"};
    const char *nm = names[fz_rand() % 6];
    memcpy(inbuf + 48, nm, strlen(nm) + 1);
}

/* Keep the fuzzer alive: ranges of the space's own methods in the arena,
 * test object call-backs short. */
static void tame(struct fz_call *c, const struct com_iface_sig *s)
{
    const struct com_method_sig *m = c->m;
    if (!m || m->nargs < 2)
        return;
    uint32_t *w = c->words;
    if (!strcmp(s->name, "IAddressSpace") &&
        (!strcmp(m->name, "Decommit") || !strcmp(m->name, "Protect") ||
         !strcmp(m->name, "Deallocate") || !strcmp(m->name, "Commit")) &&
        !range_safe(w[0], w[1]))
        w[0] = arena_addr(), w[1] = (fz_rand() % 4) * PG;
    if (is(s, m, "ITestObject", "CallBack"))
        w[m->args[1].offset / 4] %= 8;
}

/* The entry of the handle a call goes to. A closed, forged or foreign
 * value the fuzzer does not hold may still name one of its own objects
 * (handle values are per process, and calls it made may have left it
 * handles it never saw: out pointers into the arena): through such a
 * handle only QueryInterface, AddRef and absurd method indices are
 * called, or a "foreign" handle could be its own IProcess and Terminate
 * or Release it (seed 0xdecafbad did: the fuzzer died in its exception
 * handler) or Sleep for hours (seed 3 on MIPS). The kernel's handle
 * checks are what such calls test; the methods are tested through the
 * handles the fuzzer knows. */
static const struct handle_entry *target(void)
{
    static struct handle_entry any;
    uint32_t h = fz_any_handle();
    for (unsigned i = 0; i < fz_nhandles; i++)
        if (fz_handles[i].h == h)
            return &fz_handles[i];
    any = (struct handle_entry){h, sigs[fz_rand() % NSIGS], FZ_UNKNOWN, 0, 0};
    return &any;
}

void fz_make_call(struct fz_call *c)
{
    const struct handle_entry *e = target();
    uint32_t n = e->sig->nmethods;
    c->handle = e->h;
    c->held = e->base != FZ_UNKNOWN;
    c->sig = e->sig;
    lent_words = 0;
    do
        c->method = fz_rand() % 32 ? fz_rand() % (n + 2) : fz_rand();
    while (denied(e, c->method));
    c->m = c->method < n ? e->sig->methods[c->method] : 0;
    seed_inbuf();
    for (unsigned i = 0; i < 64; i++)
        c->words[i] = fz_rand() % 2 ? edge_word() : 0;
    if (c->m && fz_rand() % 8)
        for (unsigned i = 0; i < c->m->nargs; i++)
            c->m->args[i].kind == COM_ARG_VALUE ? fill_value(c, &c->m->args[i])
                                                : fill_pointer(c, &c->m->args[i]);
    if (c->m && fz_rand() % 8 == 0)
        zero_counts(c);
    tame(c, e->sig);
    scrub(c);
    uint32_t r = fz_rand() % 32;
    c->block = r ? (uintptr_t)c->words : r % 2 ? arena_addr() : edge_pointer();
}

static const struct com_iface_sig *sig_of(const IID *iid)
{
    for (unsigned i = 0; i < NSIGS; i++)
        if (!memcmp(sigs[i]->iid, iid, sizeof *iid))
            return sigs[i];
    return 0;
}

void fz_harvest(const struct fz_call *c)
{
    if (!c->m || c->block != (uintptr_t)c->words)
        return;
    for (unsigned i = 0; i < c->m->nargs; i++) {
        const struct com_arg_sig *a = &c->m->args[i];
        uint32_t p = c->words[a->offset / 4];
        if (a->kind != COM_ARG_IFACE_OUT || p < (uintptr_t)outbuf ||
            p >= (uintptr_t)outbuf + sizeof outbuf)
            continue;
        const IID *iid = a->iid;
        if (a->iid_param != COM_NO_PARAM) { /* read it only from the in-buffer */
            uintptr_t q = c->words[c->m->args[a->iid_param].offset / 4];
            iid = q >= (uintptr_t)inbuf && q + sizeof(IID) <= (uintptr_t)inbuf + sizeof inbuf
                      ? (const IID *)q
                      : 0;
        }
        uint32_t h = *(uint32_t *)(uintptr_t)p;
        const struct com_iface_sig *s = iid ? sig_of(iid) : 0;
        if (h && s)
            fz_add_handle(h, s, 0);
    }
}
