/* The runtime's proxies (lib/proxy.c) and the interfaces it knows: for
 * each, idlc's generated proxy vtbl and server stub; and the runtime's
 * side of the hooks of <com/com.h>, which lib/hooks.c gives their com_*
 * names (kept apart so the host tests run them beside test/idlc's
 * loopback transport). */
#ifndef LIB_PROXY_H
#define LIB_PROXY_H

#include <com/com.h>
#include <stdbool.h>

/* struct com_proxy first, as generated proxy methods expect. A proxy
 * counts its references itself; its last Release drops its handle and
 * frees it. The start-up proxies are static (on_heap false): never
 * released. */
struct rt_proxy {
    struct com_proxy com;
    uint32_t refs;
    bool on_heap;
};

/* An interface the runtime knows: its proxy vtbl and its server stub. */
struct rt_iface {
    const IID *iid;
    const void *proxy_vtbl;
    com_dispatch_fn *dispatch;
};

const struct rt_iface *rt_iface_find(const IID *iid);

/* Makes p a static proxy of interface iid for handle h; false if the
 * runtime has no proxy vtbl for iid. */
bool rt_proxy_init(struct rt_proxy *p, com_handle_t h, const IID *iid);

/* The hooks, with com.h's contracts. Marshalling a proxy gives a new
 * reference of its handle (IUnknown::AddRef through it), and a local
 * object a cookie (export.h). */
SCODE rt_unmarshal_interface(com_handle_t h, const IID *iid, void **out);
SCODE rt_marshal_interface(void *itf, const IID *iid, com_handle_t *out);
void rt_release_interface(void *itf);
void rt_release_handle(com_handle_t h);
SCODE rt_proxy_addref(void *proxy);
SCODE rt_proxy_release(void *proxy);

#endif
