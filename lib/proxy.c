/* The runtime's proxies (see proxy.h): an interface pointer that came from
 * another space is a struct rt_proxy whose vtbl is idlc's
 * IName_ProxyVtbl, every method of which is one kernel call (com_invoke)
 * on the proxy's handle. Proxies live in com_alloc's memory. */
#include "proxy.h"
#include <IAddressSpace.h>
#include <IConsole.h>
#include <IMemoryObject.h>
#include <INameService.h>
#include <IProcess.h>
#include <ITestObject.h>
#include <IThread.h>
#include <IUnknown.h>

/* The interfaces the runtime can make proxies for. Another needs its
 * line here and its generated proxy linked (configure: rt_interfaces). */
static const struct {
    const IID *iid;
    const void *vtbl;
} known[] = {
    {&IID_IUnknown, &IUnknown_ProxyVtbl},
    {&IID_IProcess, &IProcess_ProxyVtbl},
    {&IID_IAddressSpace, &IAddressSpace_ProxyVtbl},
    {&IID_IConsole, &IConsole_ProxyVtbl},
    {&IID_IThread, &IThread_ProxyVtbl},
    {&IID_IMemoryObject, &IMemoryObject_ProxyVtbl},
    {&IID_ITestObject, &ITestObject_ProxyVtbl},
    {&IID_INameService, &INameService_ProxyVtbl},
};

#define NKNOWN (sizeof known / sizeof known[0])

bool rt_proxy_init(struct rt_proxy *p, com_handle_t h, const IID *iid)
{
    for (size_t i = 0; i < NKNOWN; i++) {
        if (com_iid_equal(known[i].iid, iid)) {
            p->com.lpVtbl = known[i].vtbl;
            p->com.handle = h;
            p->on_heap = false;
            return true;
        }
    }
    return false;
}

static bool is_proxy(const void *itf)
{
    const void *vtbl = ((const struct com_proxy *)itf)->lpVtbl;
    for (size_t i = 0; i < NKNOWN; i++) {
        if (known[i].vtbl == vtbl)
            return true;
    }
    return false;
}

SCODE rt_unmarshal_interface(com_handle_t h, const IID *iid, void **out)
{
    *out = NULL;
    if (h == 0)
        return S_OK;
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

/* A proxy passes on its own handle: the proxy keeps it, so the kernel's
 * call path must treat an [in] interface handle as lent for the call
 * (taking a reference of its own if it keeps the object). A local object
 * would need the kernel to call back into this space (a stub and a
 * server thread): not there yet, hence E_NOTIMPL. */
SCODE rt_marshal_interface(void *itf, const IID *iid, com_handle_t *out)
{
    (void)iid;
    *out = 0;
    if (!itf)
        return S_OK;
    if (!is_proxy(itf))
        return E_NOTIMPL;
    *out = ((const struct com_proxy *)itf)->handle;
    return S_OK;
}

void rt_release_interface(void *itf)
{
    if (!itf)
        return;
    IUnknown *u = itf;
    bool heap_proxy = is_proxy(itf) && ((struct rt_proxy *)itf)->on_heap;
    IUnknown_Release(u); /* a proxy's Release drops its handle's reference */
    if (heap_proxy)
        com_free(itf);
}

void rt_release_handle(com_handle_t h)
{
    struct IUnknown_Release_args args = {0};
    com_invoke(h, &IID_IUnknown, IUnknown_M_Release, &args);
}
