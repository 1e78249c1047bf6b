/* Remote objects: the kernel's stand-in for an interface pointer a process
 * exported (paper 1.1, "calls out of the kernel"). A process names its own
 * object by a cookie it chose (IPC_COOKIE_BIT set, idl/IProcess.idl); the
 * kernel makes one remote per (process, cookie), and from then on the
 * remote is a kernel object like any other: a kernel pointer, or a handle
 * in another process's table. It is a kernel proxy (idlc's
 * IName_ProxyVtbl), so kernel code calls it through its vtbl, and every
 * method becomes a call into the owner's server pool (pool.h).
 *
 * References: the remote holds one on its owner's process object. When
 * its last reference goes, the owner is told (IPC_M_DISCONNECT, one way)
 * how many times the kernel took the cookie, so its runtime can drop the
 * object once every cookie it handed out has come back. A remote whose
 * owner has ended fails every call with IPC_E_DISCONNECTED. */
#ifndef KERNEL_IPC_REMOTE_H
#define KERNEL_IPC_REMOTE_H

#include <IUnknown.h>
#include <kernel/ipc/iface.h>

struct process;

struct remote {
    struct com_proxy com; /* com.handle: the remote's own address */
    uint32_t refs;
    struct process *owner;
    uint32_t cookie;
    uint32_t received; /* times the kernel took the cookie */
    const struct kiface *type;
    struct remote *next; /* the owner's remotes */
};

/* The remote for cookie of owner as interface iid, with a reference for
 * the caller (the cookie counts as received). IPC_E_BAD_COOKIE,
 * E_NOINTERFACE (an interface the kernel does not know, or another than
 * the remote was made for), E_OUTOFMEMORY. */
SCODE remote_import(struct process *owner, uint32_t cookie, const IID *iid, IUnknown **out);
/* itf as a remote, or NULL when it is some other object. */
struct remote *remote_of(const void *itf);
/* The cookie r's owner knows it by, for a call or reply going to the
 * owner; takes the caller's reference. The cookie carries one of the
 * kernel's tokens (IPC_COOKIE_TOKEN) when the kernel can spare one. */
uint32_t remote_send_home(struct remote *r);
/* Call method of r with the argument block of a kernel caller. */
SCODE remote_invoke(struct remote *r, uint32_t method, void *block);
SCODE remote_addref(struct remote *r);
SCODE remote_release(struct remote *r);
/* Remotes alive in the whole kernel (the tests' leak check). */
uint32_t remote_count(void);

#endif
