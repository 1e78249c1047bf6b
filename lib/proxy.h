/* The runtime's proxies (lib/proxy.c): a generated IName_ProxyVtbl and a
 * handle, for the interfaces the runtime knows. */
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

#endif
