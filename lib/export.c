/* Objects this process exports (see export.h). */
#include "export.h"
#include "lock.h"
#include "proxy.h"
#include <IUnknown.h>

struct rt_export {
    IUnknown *obj; /* NULL: a free entry */
    const struct rt_iface *iface;
    uint32_t tokens;
};

static struct rt_export exports[RT_MAX_EXPORTS];
static struct rt_lock lock;
static unsigned live;

static uint32_t index_of(com_handle_t cookie)
{
    return cookie & ~(IPC_COOKIE_BIT | IPC_COOKIE_TOKEN);
}

/* The entry for (obj, k), a free one for it, or NULL; under the lock. */
static struct rt_export *slot_for(IUnknown *obj, const struct rt_iface *k)
{
    struct rt_export *free_one = NULL;
    for (unsigned i = 0; i < RT_MAX_EXPORTS; i++) {
        if (exports[i].obj == obj && exports[i].iface == k)
            return &exports[i];
        if (!exports[i].obj && !free_one)
            free_one = &exports[i];
    }
    return free_one;
}

SCODE rt_export(void *itf, const IID *iid, com_handle_t *cookie)
{
    const struct rt_iface *k = rt_iface_find(iid);
    IUnknown *obj = itf;
    *cookie = 0;
    if (!k)
        return E_NOINTERFACE;
    SCODE sc = rt_serve_start();
    if (FAILED(sc))
        return sc;
    rt_lock(&lock);
    struct rt_export *e = slot_for(obj, k);
    if (e && !e->obj) {
        *e = (struct rt_export){obj, k, 0};
        obj->lpVtbl->AddRef(obj);
        live++;
    }
    if (e) {
        e->tokens++;
        *cookie = IPC_COOKIE_BIT | (uint32_t)(e - exports);
    }
    rt_unlock(&lock);
    return e ? S_OK : E_OUTOFMEMORY;
}

/* Under the lock: n tokens are back; the object when they all are. */
static IUnknown *return_tokens(struct rt_export *e, uint32_t n)
{
    e->tokens = n < e->tokens ? e->tokens - n : 0;
    if (e->tokens)
        return NULL;
    IUnknown *obj = e->obj;
    e->obj = NULL;
    live--;
    return obj;
}

static struct rt_export *entry(com_handle_t cookie)
{
    uint32_t i = index_of(cookie);
    return i < RT_MAX_EXPORTS && exports[i].obj ? &exports[i] : NULL;
}

SCODE rt_export_unmarshal(com_handle_t cookie, const IID *iid, void **out)
{
    IUnknown *gone = NULL;
    SCODE sc = E_HANDLE;
    *out = NULL;
    rt_lock(&lock);
    struct rt_export *e = entry(cookie);
    if (e) {
        sc = e->obj->lpVtbl->QueryInterface(e->obj, iid, out);
        if (cookie & IPC_COOKIE_TOKEN)
            gone = return_tokens(e, 1);
    }
    rt_unlock(&lock);
    if (gone)
        gone->lpVtbl->Release(gone);
    return sc;
}

void rt_export_drop(com_handle_t cookie)
{
    IUnknown *gone = NULL;
    rt_lock(&lock);
    struct rt_export *e = entry(cookie);
    if (e)
        gone = return_tokens(e, 1);
    rt_unlock(&lock);
    if (gone)
        gone->lpVtbl->Release(gone);
}

static SCODE disconnect(uint32_t cookie, const uint32_t *count)
{
    IUnknown *gone = NULL;
    rt_lock(&lock);
    struct rt_export *e = entry(cookie);
    if (e)
        gone = return_tokens(e, *count);
    rt_unlock(&lock);
    if (gone)
        gone->lpVtbl->Release(gone);
    return S_OK;
}

SCODE rt_export_call(uint32_t cookie, uint32_t method, void *block)
{
    if (method == IPC_M_DISCONNECT)
        return disconnect(cookie, block);
    if (method == IUnknown_M_AddRef || method == IUnknown_M_Release)
        return RPC_E_BADMETHOD; /* the kernel counts its own references */
    rt_lock(&lock);
    struct rt_export *e = entry(cookie);
    IUnknown *obj = e ? e->obj : NULL;
    com_dispatch_fn *dispatch = e ? e->iface->dispatch : NULL;
    if (obj)
        obj->lpVtbl->AddRef(obj); /* held through the call */
    rt_unlock(&lock);
    if (!obj)
        return IPC_E_BAD_COOKIE;
    SCODE sc = dispatch(obj, method, block);
    obj->lpVtbl->Release(obj);
    return sc;
}

unsigned rt_export_count(void)
{
    return live;
}
