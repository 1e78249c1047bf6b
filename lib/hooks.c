/* The hooks of <com/com.h> that generated code calls, in user programs:
 * the runtime's proxies (proxy.c) and heap (heap.c). com_invoke is the
 * arch's (lib/ARCH/kcall.c). */
#include "proxy.h"
#include <stdlib.h>

SCODE com_unmarshal_interface(com_handle_t h, const IID *iid, void **out)
{
    return rt_unmarshal_interface(h, iid, out);
}

SCODE com_marshal_interface(void *itf, const IID *iid, com_handle_t *out)
{
    return rt_marshal_interface(itf, iid, out);
}

void com_release_interface(void *itf)
{
    rt_release_interface(itf);
}

void com_release_handle(com_handle_t h)
{
    rt_release_handle(h);
}

void *com_alloc(size_t n)
{
    return malloc(n);
}

void com_free(void *p)
{
    free(p);
}

SCODE com_proxy_addref(void *proxy)
{
    return rt_proxy_addref(proxy);
}

SCODE com_proxy_release(void *proxy)
{
    return rt_proxy_release(proxy);
}
