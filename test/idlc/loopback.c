// The loopback transport (see loopback.h). Copies follow the generated
// signature tables only: nothing here knows any particular interface.
#include "loopback.h"

#include <stdlib.h>
#include <string.h>

#include "IUnknown.h"

#define MAX_IFACES  16
#define MAX_OBJECTS 64

struct iface_entry {
    const struct com_iface_sig *sig;
    com_dispatch_fn *dispatch;
    const void *proxy_vtbl;
};

struct object {
    void *itf;
    const IID *iid;
};

static struct iface_entry ifaces[MAX_IFACES];
static int nifaces;
static struct object objects[MAX_OBJECTS];
static int nobjects, ncalls;

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
    for (int i = 0; i < nobjects; i++)
        com_release_interface(objects[i].itf);
    nobjects = 0;
    ncalls = 0;
}

int loopback_calls(void)
{
    return ncalls;
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

SCODE com_marshal_interface(void *itf, const IID *iid, com_handle_t *out)
{
    *out = 0;
    if (!itf)
        return S_OK;
    if (loopback_is_proxy(itf)) {
        *out = ((struct com_proxy *)itf)->handle;
        return S_OK;
    }
    if (nobjects == MAX_OBJECTS || !find_iface(iid))
        return E_OUTOFMEMORY;
    IUnknown_AddRef((IUnknown *)itf); // the handle holds a reference
    objects[nobjects] = (struct object){itf, find_iface(iid)->sig->iid};
    *out = (com_handle_t)++nobjects;
    return S_OK;
}

SCODE com_unmarshal_interface(com_handle_t h, const IID *iid, void **out)
{
    *out = NULL;
    if (h == 0)
        return S_OK;
    const struct iface_entry *e = find_iface(iid);
    if (h > (com_handle_t)nobjects || !e)
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

// Reads an integer argument (a size_is or length_is count) from a block.
static uint64_t read_count(const void *block, const struct com_arg_sig *a)
{
    uint64_t v = 0;
    memcpy(&v, (const char *)block + a->offset, a->size < sizeof(v) ? a->size : sizeof(v));
    return v;
}

static uint64_t read_field(const void *rec, const struct com_field_sig *f)
{
    uint64_t v = 0;
    memcpy(&v, (const char *)rec + f->size_field, f->size_field_size);
    return v;
}

struct copy {
    void *mem; // the callee's copy
    size_t bytes;
};

// Gives the struct the callee sees its own copies of embedded pointers.
static void copy_fields(char *rec, const struct com_arg_sig *a, struct copy *extra)
{
    for (int i = 0; i < a->nfields && i < 8; i++) {
        const struct com_field_sig *f = &a->fields[i];
        void *p;
        memcpy(&p, rec + f->offset, sizeof(p));
        size_t n = !p                          ? 0
                   : f->kind == COM_ARG_STRING ? strlen(p) + 1
                                               : read_field(rec, f) * f->elem_size;
        void *c = p ? malloc(n ? n : 1) : NULL;
        if (c)
            memcpy(c, p, n);
        memcpy(rec + f->offset, &c, sizeof(c));
        extra[i] = (struct copy){c, n};
    }
}

// Copies one pointer argument into the callee's memory; E_POINTER if a
// non-unique pointer is NULL.
static SCODE copy_in(const struct com_method_sig *m, const void *args, void *block, int i,
                     struct copy *c, struct copy *extra)
{
    const struct com_arg_sig *a = &m->args[i];
    void *p;
    memcpy(&p, (const char *)args + a->offset, sizeof(p));
    if (a->kind == COM_ARG_VALUE || a->kind == COM_ARG_IFACE_IN)
        return S_OK;
    if (!p)
        return a->flags & COM_ARG_UNIQUE ? S_OK : E_POINTER;
    uint64_t count = a->size_param != COM_NO_PARAM ? read_count(args, &m->args[a->size_param]) : 1;
    c->bytes = a->kind == COM_ARG_STRING ? strlen(p) + 1 : (size_t)count * a->size;
    c->mem = calloc(1, c->bytes ? c->bytes : 1);
    if (a->kind != COM_ARG_OUT_PTR && a->kind != COM_ARG_IFACE_OUT)
        memcpy(c->mem, p, c->bytes);
    if (a->fields)
        copy_fields(c->mem, a, extra);
    memcpy((char *)block + a->offset, &c->mem, sizeof(c->mem));
    return S_OK;
}

// Copies results back into the caller's memory (length_is bytes if given).
static void copy_out(const struct com_method_sig *m, const void *args, int i, struct copy *c)
{
    const struct com_arg_sig *a = &m->args[i];
    void *p;
    memcpy(&p, (const char *)args + a->offset, sizeof(p));
    if (!c->mem || (a->kind != COM_ARG_OUT_PTR && a->kind != COM_ARG_INOUT_PTR &&
                    a->kind != COM_ARG_IFACE_OUT))
        return;
    size_t n = c->bytes;
    if (a->length_param != COM_NO_PARAM &&
        read_count(args, &m->args[a->length_param]) * a->size < n)
        n = (size_t)read_count(args, &m->args[a->length_param]) * a->size;
    memcpy(p, c->mem, n);
}

SCODE com_invoke(com_handle_t obj, const IID *iid, uint32_t method, void *args)
{
    ncalls++;
    const struct iface_entry *e = find_iface(iid);
    if (!e || obj == 0 || obj > (com_handle_t)nobjects)
        return E_HANDLE;
    if (method >= e->sig->nmethods)
        return RPC_E_BADMETHOD;
    const struct com_method_sig *m = e->sig->methods[method];
    void *block = malloc(m->block_size);
    struct copy copies[16] = {{0}}, extra[16][8] = {{{0}}};
    memcpy(block, args, m->block_size);
    SCODE sc = S_OK;
    for (int i = 0; i < m->nargs && i < 16 && SUCCEEDED(sc); i++)
        sc = copy_in(m, args, block, i, &copies[i], extra[i]);
    if (SUCCEEDED(sc))
        sc = e->dispatch(objects[obj - 1].itf, method, block);
    for (int i = 0; i < m->nargs && i < 16; i++) {
        if (SUCCEEDED(sc))
            copy_out(m, args, i, &copies[i]);
        free(copies[i].mem);
        for (int k = 0; k < 8; k++)
            free(extra[i][k].mem);
    }
    free(block);
    return sc;
}
