/* The runtime's proxies (see proxy.h): an interface pointer that came from
 * another space is a struct rt_proxy whose vtbl is idlc's
 * IName_ProxyVtbl, every method of which is one kernel call (com_invoke)
 * on the proxy's handle. Proxies live in com_alloc's memory. */
#include "export.h"
#include "proxy.h"
#include <interfaces.h>

/* The interfaces the runtime can make proxies for and serve: every one of
 * idl/ (configure's list, build/gen/idl/interfaces.h). */
#define KNOWN(I) {&IID_##I, &I##_ProxyVtbl, I##_Dispatch},
static const struct rt_iface known[] = {COM_EACH_INTERFACE(KNOWN)};

#define NKNOWN (sizeof known / sizeof known[0])

const struct rt_iface *rt_iface_find(const IID *iid)
{
    for (size_t i = 0; i < NKNOWN; i++)
        if (com_iid_equal(known[i].iid, iid))
            return &known[i];
    return NULL;
}

bool rt_proxy_init(struct rt_proxy *p, com_handle_t h, const IID *iid)
{
    const struct rt_iface *k = rt_iface_find(iid);
    if (!k)
        return false;
    *p = (struct rt_proxy){{k->proxy_vtbl, h}, 1, false};
    return true;
}

static bool is_proxy(const void *itf)
{
    const void *vtbl = ((const struct com_proxy *)itf)->lpVtbl;
    for (size_t i = 0; i < NKNOWN; i++) {
        if (known[i].proxy_vtbl == vtbl)
            return true;
    }
    return false;
}

SCODE rt_proxy_addref(void *proxy)
{
    __atomic_add_fetch(&((struct rt_proxy *)proxy)->refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

SCODE rt_proxy_release(void *proxy)
{
    struct rt_proxy *p = proxy;
    if (!p->on_heap || __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return S_OK;
    rt_release_handle(p->com.handle);
    com_free(p);
    return S_OK;
}

SCODE rt_unmarshal_interface(com_handle_t h, const IID *iid, void **out)
{
    *out = NULL;
    if (h == 0)
        return S_OK;
    if (h & IPC_COOKIE_BIT)
        return rt_export_unmarshal(h, iid, out);
    struct rt_proxy probe;
    if (!rt_proxy_init(&probe, h, iid))
        return E_NOINTERFACE; /* the caller still owns h and releases it */
    struct rt_proxy *p = com_alloc(sizeof *p);
    if (!p)
        return E_OUTOFMEMORY;
    *p = probe;
    p->on_heap = true;
    *out = p;
    return S_OK;
}

SCODE rt_marshal_interface(void *itf, const IID *iid, com_handle_t *out)
{
    *out = 0;
    if (!itf)
        return S_OK;
    if (!is_proxy(itf))
        return rt_export(itf, iid, out);
    com_handle_t h = ((const struct com_proxy *)itf)->handle;
    struct IUnknown_AddRef_args args = {0};
    SCODE sc = com_invoke(h, &IID_IUnknown, IUnknown_M_AddRef, &args);
    if (SUCCEEDED(sc))
        *out = h;
    return FAILED(sc) ? sc : S_OK;
}

void rt_release_interface(void *itf)
{
    if (itf)
        IUnknown_Release((IUnknown *)itf);
}

void rt_release_handle(com_handle_t h)
{
    if (h & IPC_COOKIE_BIT) {
        rt_export_drop(h);
        return;
    }
    struct IUnknown_Release_args args = {0};
    com_invoke(h, &IID_IUnknown, IUnknown_M_Release, &args);
}
