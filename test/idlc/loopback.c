// The loopback transport (see loopback.h). Copies follow the generated
// signature tables only: nothing here knows any particular interface. It
// does what a kernel transport must: evaluates size_is/length_is programs,
// refuses bad counts, copies exactly length_is elements back, and gives the
// callee its own copy of every embedded pointer of every array element.
#include "loopback.h"

#include <stdlib.h>
#include <string.h>

#include "IUnknown.h"
#include <kernel/ipc/sigeval.h>

#define MAX_IFACES  16
#define MAX_OBJECTS 64
#define MAX_ARGS    16
#define MAX_BYTES   (1u << 24) // a test never moves more in one argument

struct iface_entry {
    const struct com_iface_sig *sig;
    com_dispatch_fn *dispatch;
    const void *proxy_vtbl;
};

// A handle: one reference to a local object. Empty when itf is NULL.
struct object {
    void *itf;
};

static struct iface_entry ifaces[MAX_IFACES];
static int nifaces;
static struct object objects[MAX_OBJECTS];
static int ncalls, fail_marshal_in, nallocs;

void loopback_register(const struct com_iface_sig *sig, com_dispatch_fn *dispatch,
                       const void *proxy_vtbl)
{
    for (int i = 0; i < nifaces; i++)
        if (ifaces[i].sig == sig)
            return;
    if (nifaces < MAX_IFACES)
        ifaces[nifaces++] = (struct iface_entry){sig, dispatch, proxy_vtbl};
}

void loopback_reset(void)
{
    for (int i = 0; i < MAX_OBJECTS; i++)
        if (objects[i].itf)
            com_release_handle((com_handle_t)i + 1);
    ncalls = 0;
    fail_marshal_in = 0;
}

int loopback_calls(void)
{
    return ncalls;
}

int loopback_live_handles(void)
{
    int n = 0;
    for (int i = 0; i < MAX_OBJECTS; i++)
        n += objects[i].itf != NULL;
    return n;
}

void loopback_fail_marshal(int n)
{
    fail_marshal_in = n;
}

int loopback_allocs(void)
{
    return nallocs;
}

void *com_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    nallocs += p != NULL;
    return p;
}

void com_free(void *p)
{
    nallocs -= p != NULL;
    free(p);
}

static const struct iface_entry *find_iface(const IID *iid)
{
    for (int i = 0; i < nifaces; i++)
        if (com_iid_equal(ifaces[i].sig->iid, iid))
            return &ifaces[i];
    return NULL;
}

bool loopback_is_proxy(const void *itf)
{
    const void *vtbl = *(const void *const *)itf;
    for (int i = 0; i < nifaces; i++)
        if (ifaces[i].proxy_vtbl == vtbl)
            return true;
    return false;
}

static struct object *object_of(com_handle_t h)
{
    return h >= 1 && h <= MAX_OBJECTS && objects[h - 1].itf ? &objects[h - 1] : NULL;
}

// Every handle holds its own reference: marshalling a proxy makes a new
// handle to the object behind it.
SCODE com_marshal_interface(void *itf, const IID *iid, com_handle_t *out)
{
    *out = 0;
    if (!itf)
        return S_OK;
    if (fail_marshal_in > 0 && --fail_marshal_in == 0)
        return E_OUTOFMEMORY;
    if (loopback_is_proxy(itf)) {
        struct object *o = object_of(((struct com_proxy *)itf)->handle);
        if (!o)
            return E_HANDLE;
        itf = o->itf;
    }
    if (!find_iface(iid))
        return E_NOINTERFACE;
    for (int i = 0; i < MAX_OBJECTS; i++) {
        if (!objects[i].itf) {
            IUnknown_AddRef((IUnknown *)itf);
            objects[i].itf = itf;
            *out = (com_handle_t)i + 1;
            return S_OK;
        }
    }
    return E_OUTOFMEMORY;
}

SCODE com_unmarshal_interface(com_handle_t h, const IID *iid, void **out)
{
    *out = NULL;
    if (h == 0)
        return S_OK;
    const struct iface_entry *e = find_iface(iid);
    if (!object_of(h) || !e)
        return E_HANDLE;
    struct com_proxy *p = malloc(sizeof(*p));
    if (!p)
        return E_OUTOFMEMORY;
    *p = (struct com_proxy){e->proxy_vtbl, h};
    *out = p;
    return S_OK;
}

void com_release_interface(void *itf)
{
    if (loopback_is_proxy(itf))
        free(itf);
    else
        IUnknown_Release((IUnknown *)itf);
}

// A loopback proxy's AddRef and Release go to the object, through the
// transport like any method (method 1 and 2 of every interface).
static SCODE proxy_refcount(void *proxy, uint32_t method)
{
    const void *vtbl = *(const void *const *)proxy;
    for (int i = 0; i < nifaces; i++) {
        if (ifaces[i].proxy_vtbl == vtbl) {
            struct IUnknown_AddRef_args args = {0};
            return com_invoke(((struct com_proxy *)proxy)->handle, ifaces[i].sig->iid, method,
                              &args);
        }
    }
    return E_UNEXPECTED;
}

SCODE com_proxy_addref(void *proxy)
{
    return proxy_refcount(proxy, IUnknown_M_AddRef);
}

SCODE com_proxy_release(void *proxy)
{
    return proxy_refcount(proxy, IUnknown_M_Release);
}

void com_release_handle(com_handle_t h)
{
    struct object *o = object_of(h);
    if (o) {
        void *itf = o->itf;
        o->itf = NULL;
        IUnknown_Release((IUnknown *)itf);
    }
}

// Memory the callee sees during one call, freed after it.
struct call {
    void *mem[MAX_ARGS]; // each pointer argument's copy
    size_t bytes[MAX_ARGS];
    void **extra; // copies of embedded pointers
    int nextra;
};

static void *callee_alloc(struct call *c, size_t n)
{
    void *p = calloc(1, n ? n : 1);
    c->extra = realloc(c->extra, ((size_t)c->nextra + 1) * sizeof(void *));
    c->extra[c->nextra++] = p;
    return p;
}

// Gives the callee its own copy of the embedded pointers of one element.
static SCODE copy_fields(struct call *c, char *elem, const struct com_arg_sig *a)
{
    for (int i = 0; i < a->nfields; i++) {
        const struct com_field_sig *f = &a->fields[i];
        void *p;
        memcpy(&p, elem + f->offset, sizeof(p));
        if (!p && !(f->flags & COM_ARG_UNIQUE))
            return E_POINTER;
        size_t n = 0;
        if (p && f->kind == COM_ARG_STRING)
            n = strlen(p) + 1;
        else if (p &&
                 FAILED(com_sig_bytes(com_sig_read_uint(elem + f->size_field, f->size_field_size),
                                      f->elem_size, MAX_BYTES, &n)))
            return RPC_E_INVALID_BOUND;
        void *copy = p ? callee_alloc(c, n) : NULL;
        if (copy)
            memcpy(copy, p, n);
        memcpy(elem + f->offset, &copy, sizeof(copy));
    }
    return S_OK;
}

static bool reads_in(uint8_t kind)
{
    return kind == COM_ARG_IN_PTR || kind == COM_ARG_INOUT_PTR || kind == COM_ARG_STRING ||
           kind == COM_ARG_IFACE_IN_ARRAY;
}

static bool writes_out(uint8_t kind)
{
    return kind == COM_ARG_OUT_PTR || kind == COM_ARG_INOUT_PTR || kind == COM_ARG_IFACE_OUT ||
           kind == COM_ARG_IFACE_OUT_ARRAY;
}

// Copies one pointer argument into the callee's memory: size_is elements,
// of which length_is (all if none) carry the caller's data.
static SCODE copy_in(const struct com_method_sig *m, const void *args, void *block, int i,
                     struct call *c)
{
    const struct com_arg_sig *a = &m->args[i];
    if (a->kind == COM_ARG_VALUE || a->kind == COM_ARG_IFACE_IN)
        return S_OK;
    const char *p = com_sig_read_ptr(args, a);
    if (!p)
        return a->flags & COM_ARG_UNIQUE ? S_OK : E_POINTER;
    uint64_t count, length;
    SCODE sc = com_sig_count(m, args, a->size_is, 1, &count);
    if (SUCCEEDED(sc))
        sc = com_sig_bytes(a->kind == COM_ARG_STRING ? strlen(p) + 1 : count, a->size, MAX_BYTES,
                           &c->bytes[i]);
    if (FAILED(sc))
        return sc;
    c->mem[i] = calloc(1, c->bytes[i] ? c->bytes[i] : 1);
    if (reads_in(a->kind)) {
        sc = com_sig_count(m, args, a->length_is, count, &length);
        if (SUCCEEDED(sc) && length > count)
            sc = RPC_E_INVALID_BOUND;
        if (FAILED(sc))
            return sc;
        memcpy(c->mem[i], p, a->kind == COM_ARG_STRING ? c->bytes[i] : (size_t)length * a->size);
        for (uint64_t e = 0; a->fields && e < count && SUCCEEDED(sc); e++)
            sc = copy_fields(c, (char *)c->mem[i] + e * a->size, a);
    }
    memcpy((char *)block + a->offset, &c->mem[i], sizeof(c->mem[i]));
    return sc;
}

// How many bytes of an [out] argument come back: length_is elements,
// evaluated on the callee's values, never more than it was given.
static SCODE out_bytes(const struct com_method_sig *m, const void *block, int i,
                       const struct call *c, size_t *n)
{
    const struct com_arg_sig *a = &m->args[i];
    *n = c->bytes[i];
    if (!a->length_is)
        return S_OK;
    uint64_t length;
    SCODE sc = com_sig_count(m, block, a->length_is, 0, &length);
    if (SUCCEEDED(sc))
        sc = com_sig_bytes(length, a->size, MAX_BYTES, n);
    return SUCCEEDED(sc) && *n > c->bytes[i] ? RPC_E_INVALID_BOUND : sc;
}

// Checks every result first, so a refused length copies nothing back.
static SCODE copy_out(const struct com_method_sig *m, void *args, const void *block, struct call *c)
{
    size_t n[MAX_ARGS] = {0};
    for (int i = 0; i < m->nargs && i < MAX_ARGS; i++) {
        if (!c->mem[i] || !writes_out(m->args[i].kind))
            continue;
        SCODE sc = out_bytes(m, block, i, c, &n[i]);
        if (FAILED(sc))
            return sc;
    }
    for (int i = 0; i < m->nargs && i < MAX_ARGS; i++)
        if (c->mem[i] && writes_out(m->args[i].kind))
            memcpy(com_sig_read_ptr(args, &m->args[i]), c->mem[i], n[i]);
    return S_OK;
}

// The call failed after the callee made handles for the caller: drop them.
static void release_out_handles(const struct com_method_sig *m, const struct call *c)
{
    for (int i = 0; i < m->nargs && i < MAX_ARGS; i++) {
        uint8_t k = m->args[i].kind;
        if (!c->mem[i] || (k != COM_ARG_IFACE_OUT && k != COM_ARG_IFACE_OUT_ARRAY))
            continue;
        for (size_t j = 0; j < c->bytes[i] / sizeof(com_handle_t); j++)
            com_release_handle(((const com_handle_t *)c->mem[i])[j]);
    }
}

SCODE com_invoke(com_handle_t obj, const IID *iid, uint32_t method, void *args)
{
    ncalls++;
    const struct iface_entry *e = find_iface(iid);
    struct object *o = object_of(obj);
    if (!e || !o)
        return E_HANDLE;
    if (method >= e->sig->nmethods || !e->sig->methods[method])
        return RPC_E_BADMETHOD;
    const struct com_method_sig *m = e->sig->methods[method];
    if (m->nargs > MAX_ARGS)
        return E_INVALIDARG;
    void *block = malloc(m->block_size);
    struct call c = {{0}, {0}, NULL, 0};
    memcpy(block, args, m->block_size);
    SCODE sc = S_OK;
    for (int i = 0; i < m->nargs && SUCCEEDED(sc); i++)
        sc = copy_in(m, args, block, i, &c);
    if (SUCCEEDED(sc))
        sc = e->dispatch(o->itf, method, block);
    if (SUCCEEDED(sc)) {
        SCODE out = copy_out(m, args, block, &c);
        if (FAILED(out))
            release_out_handles(m, &c);
        sc = FAILED(out) ? out : sc; // keep S_FALSE
    }
    for (int i = 0; i < MAX_ARGS; i++)
        free(c.mem[i]);
    for (int i = 0; i < c.nextra; i++)
        free(c.extra[i]);
    free(c.extra);
    free(block);
    return sc;
}
