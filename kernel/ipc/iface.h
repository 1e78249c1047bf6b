/* The kernel's interfaces (paper 1.1: "interface signatures must be
 * registered with the kernel"): for each, the signature table and the
 * server stub and proxy idlc generated, found by IID. A handle in a process's table
 * carries the entry of the interface its reference is. */
#ifndef KERNEL_IPC_IFACE_H
#define KERNEL_IPC_IFACE_H

#include <com/sig.h>

struct kiface {
    const struct com_iface_sig *sig;
    com_dispatch_fn *dispatch; /* the server stub: a call on a kernel object */
    const void *proxy_vtbl;    /* the proxy: a remote object (remote.h) */
};

/* The registered interface iid names, or NULL. */
const struct kiface *kiface_find(const IID *iid);
/* The interface whose kernel proxy vtbl is vtbl, or NULL. */
const struct kiface *kiface_by_proxy(const void *vtbl);

#endif
