/* The runtime's proxies (lib/proxy.c): a generated IName_ProxyVtbl and a
 * handle, for the interfaces the runtime knows; and the runtime's side of
 * the hooks of <com/com.h>, which lib/hooks.c gives their com_* names
 * (kept apart so the host tests run them beside test/idlc's loopback
 * transport, and the kernel can keep its own hooks when it shares lib/). */
#ifndef LIB_PROXY_H
#define LIB_PROXY_H

#include <com/com.h>
#include <stdbool.h>

/* struct com_proxy first, as generated proxy methods expect; on_heap says
 * whether releasing it frees it (the start-up proxies are static). */
struct rt_proxy {
    struct com_proxy com;
    bool on_heap;
};

/* Makes p a proxy of interface iid for handle h; false if the runtime has
 * no proxy vtbl for iid. */
bool rt_proxy_init(struct rt_proxy *p, com_handle_t h, const IID *iid);

/* The hooks, with com.h's contracts. */
SCODE rt_unmarshal_interface(com_handle_t h, const IID *iid, void **out);
SCODE rt_marshal_interface(void *itf, const IID *iid, com_handle_t *out);
void rt_release_interface(void *itf);
void rt_release_handle(com_handle_t h);

#endif
