/* What the fuzzer knows, and the kernel's answers judged by it where the
 * documentation determines them (idl/include/com/com.h, docs/
 * ARCHITECTURE.md "The kernel call" and "Handles"):
 *   - a handle the fuzzer does not hold (closed, forged, another
 *     process's, 0 or -1) gives E_HANDLE, whatever the method: handle
 *     values are unique (a serial and a slot), so none of these can name
 *     an object of its table;
 *   - through a held handle, a method index past the table or [local]
 *     gives RPC_E_BADMETHOD, a block at a bad address E_POINTER, and a
 *     pointer argument that is NULL (not [unique]), outside the user
 *     range (a single element: all of it) or misaligned for its element
 *     fails (E_POINTER, or another
 *     argument's RPC_E_INVALID_BOUND or E_NOTIMPL first);
 *   - AddRef and Release through a held handle succeed; the count is the
 *     fuzzer's references, and once they are all released the handle is
 *     closed (E_HANDLE);
 *   - QueryInterface for IUnknown through a held handle succeeds (or
 *     E_OUTOFMEMORY: the table is full) with a new handle;
 *   - a handle of another interface (IAddressSpace, IProcess...) passed
 *     as an [in] ITestObject fails with E_NOINTERFACE: no kernel object
 *     implements both (the transport's QueryInterface).
 * A handle lent as an [in] interface gets an AddRef first, which the
 * call's transport may or may not take (not when the call fails before
 * it), so the model keeps lower and upper bounds: refs, refs + lent. */
#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>

void fz_wrong(uint32_t h, uint32_t method, const char *expected, SCODE got)
{
    printf("fuzz: WRONG seed=%u call=%lu handle=%#x method=%u expected %s got %#x\n",
           (unsigned)fz_seed, fz_calls, (unsigned)h, (unsigned)method, expected, (unsigned)got);
    exit(FZ_EXIT_WRONG);
}

struct handle_entry *fz_held(uint32_t h)
{
    for (unsigned i = 0; i < fz_nhandles; i++)
        if (fz_handles[i].h == h)
            return &fz_handles[i];
    return 0;
}

static void expect_sc(uint32_t h, uint32_t method, SCODE want, SCODE got, const char *what)
{
    if (got != want)
        fz_wrong(h, method, what, got);
}

uint32_t fz_lend(uint32_t h)
{
    struct handle_entry *e = fz_held(h);
    if (!e)
        return h;
    struct IUnknown_AddRef_args a;
    expect_sc(h, IUnknown_M_AddRef, S_OK, fz_invoke(h, IUnknown_M_AddRef, &a), "S_OK (AddRef)");
    e->lent++;
    return h;
}

/* QueryInterface for IUnknown through h; the new handle in *out. */
static SCODE query(uint32_t h, uint32_t *out)
{
    *out = 0;
    struct IUnknown_QueryInterface_args a = {&IID_IUnknown, out};
    return fz_invoke(h, IUnknown_M_QueryInterface, &a);
}

static void expect_closed(uint32_t h)
{
    uint32_t out;
    expect_sc(h, IUnknown_M_QueryInterface, E_HANDLE, query(h, &out),
              "E_HANDLE (released to zero: closed)");
}

/* The fuzzer's references went; the lent ones may hold it open a while. */
static void release_lent(uint32_t h, uint32_t lent)
{
    SCODE prev = S_OK;
    for (uint32_t k = 0; k < lent; k++) {
        struct IUnknown_Release_args a;
        SCODE sc = fz_invoke(h, IUnknown_M_Release, &a);
        if (sc != S_OK && sc != E_HANDLE)
            fz_wrong(h, IUnknown_M_Release, "S_OK or E_HANDLE (a lent reference)", sc);
        if (prev == E_HANDLE && sc != E_HANDLE)
            fz_wrong(h, IUnknown_M_Release, "E_HANDLE (closed already)", sc);
        prev = sc;
    }
    expect_closed(h);
    fz_note_closed(h);
}

static void forget(unsigned i);

void fz_close(unsigned i)
{
    struct handle_entry e = fz_handles[i];
    forget(i);
    for (uint32_t k = 0; k < e.refs; k++) {
        struct IUnknown_Release_args a;
        expect_sc(e.h, IUnknown_M_Release, S_OK, fz_invoke(e.h, IUnknown_M_Release, &a),
                  "S_OK (Release of a held reference)");
    }
    release_lent(e.h, e.lent);
}

/* Whether pointer p is one the kernel must refuse for argument a. */
static int bad_pointer(const struct com_arg_sig *a, uint32_t p)
{
    uint32_t size = a->kind == COM_ARG_STRING ? 1 : a->size, align = size & -size;
    align = align == 0 || align > 4 ? 4 : align;
    if (!p)
        return !(a->flags & COM_ARG_UNIQUE);
    uint64_t end = (uint64_t)p + (a->size_is || a->kind == COM_ARG_STRING ? 1 : a->size);
    return p < 0x10000u || end > 0x80000000u || (p & (align - 1));
}

static int bad_block(uintptr_t b, uint32_t size)
{
    return b < 0x10000u || b > 0x80000000u - size || (b & 3);
}

struct fz_expect fz_expect(const struct fz_call *c)
{
    if (!c->held)
        return (struct fz_expect){FZ_EXACT, E_HANDLE, "E_HANDLE (a handle it does not hold)"};
    if (c->method == IUnknown_M_AddRef || c->method == IUnknown_M_Release)
        return (struct fz_expect){FZ_EXACT, S_OK, "S_OK (AddRef or Release of a held handle)"};
    const struct com_method_sig *m = c->m;
    if (!m)
        return (struct fz_expect){FZ_EXACT, RPC_E_BADMETHOD, "RPC_E_BADMETHOD (no such method)"};
    if (m->block_size > 256)
        return (struct fz_expect){FZ_ANY, 0, 0};
    if (bad_block(c->block, m->block_size))
        return (struct fz_expect){FZ_EXACT, E_POINTER, "E_POINTER (the block's address)"};
    if (c->block != (uintptr_t)c->words)
        return (struct fz_expect){FZ_ANY, 0, 0};
    for (unsigned i = 0; i < m->nargs; i++) {
        const struct com_arg_sig *a = &m->args[i];
        if (a->kind != COM_ARG_VALUE && a->kind != COM_ARG_IFACE_IN &&
            bad_pointer(a, c->words[a->offset / 4]))
            return (struct fz_expect){FZ_BAD_POINTER, 0, 0};
    }
    return (struct fz_expect){FZ_ANY, 0, 0};
}

static void forget(unsigned i)
{
    fz_handles[i] = fz_handles[--fz_nhandles];
}

/* The model after an AddRef or Release through a held handle. */
static void counted(const struct fz_call *c)
{
    struct handle_entry *e = fz_held(c->handle);
    if (c->method == IUnknown_M_AddRef) {
        e->refs++;
        return;
    }
    if (--e->refs)
        return;
    uint32_t lent = e->lent;
    forget((unsigned)(e - fz_handles));
    release_lent(c->handle, lent);
}

unsigned long fz_judged;

void fz_judge(const struct fz_call *c, const struct fz_expect *x, SCODE sc)
{
    fz_judged += x->kind != FZ_ANY;
    if (x->kind == FZ_EXACT && sc != x->sc)
        fz_wrong(c->handle, c->method, x->why, sc);
    if (x->kind == FZ_BAD_POINTER && sc != E_POINTER && sc != RPC_E_INVALID_BOUND &&
        sc != E_NOTIMPL)
        fz_wrong(c->handle, c->method, "E_POINTER (a bad pointer argument)", sc);
    if (c->held && (c->method == IUnknown_M_AddRef || c->method == IUnknown_M_Release))
        counted(c);
}

static const struct handle_entry *any_of(int test_object)
{
    unsigned i = fz_rand() % fz_nhandles;
    int is = fz_handles[i].sig == &ITestObject_Signature;
    return is == test_object && fz_handles[i].sig != &IUnknown_Signature ? &fz_handles[i] : 0;
}

/* A handle of another interface passed as an ITestObject: no kernel
 * object implements both, so the transport's QueryInterface fails. */
static void wrong_type(void)
{
    const struct handle_entry *t = any_of(1), *o = any_of(0);
    if (!t || !o)
        return;
    uint32_t out = 0;
    struct ITestObject_Echo_args a = {fz_lend(o->h), &out};
    SCODE sc = fz_invoke(t->h, ITestObject_M_Echo, &a);
    if (sc != E_NOINTERFACE || out)
        fz_wrong(t->h, ITestObject_M_Echo, "E_NOINTERFACE (another interface as ITestObject)", sc);
}

void fz_probe(void)
{
    if (!fz_nhandles)
        return;
    if (fz_rand() % 2) {
        wrong_type();
        return;
    }
    uint32_t h = fz_handles[fz_rand() % fz_nhandles].h, out;
    SCODE sc = query(h, &out);
    if (sc == E_OUTOFMEMORY) /* the table is full */
        return;
    if (sc != S_OK || !out || fz_held(out))
        fz_wrong(h, IUnknown_M_QueryInterface, "S_OK and a new handle (IUnknown)", sc);
    if (fz_rand() % 2 && fz_nhandles < FZ_MAX_HANDLES - 8) {
        fz_add_handle(out, &IUnknown_Signature, 0);
        return;
    }
    struct IUnknown_Release_args a;
    expect_sc(out, IUnknown_M_Release, S_OK, fz_invoke(out, IUnknown_M_Release, &a),
              "S_OK (Release of a new handle)");
    expect_closed(out);
}
