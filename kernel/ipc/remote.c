/* Remote objects (see <kernel/ipc/remote.h>). One spinlock guards every
 * owner's list and every count: a remote is found by cookie and counted
 * up in one step, so a remote going away is never found again. */
#include <IProcess.h>
#include <kernel/ipc/pool.h>
#include <kernel/ipc/remote.h>
#include <kernel/proc/process.h>
#include <kernel/sync/lock.h>
#include <kernel/vm/heap.h>

_Static_assert(sizeof(com_handle_t) == sizeof(void *), "a kernel handle is a pointer");

static struct spinlock lock = SPINLOCK_INIT("remotes", NP_SYNC);
static uint32_t live;

struct remote *remote_of(const void *itf)
{
    const struct com_proxy *p = itf;
    if (!p || p->handle != (com_handle_t)(uintptr_t)p || !kiface_by_proxy(p->lpVtbl))
        return 0;
    return (struct remote *)p;
}

uint32_t remote_count(void)
{
    return live;
}

/* The owner's remote for cookie, counted up; NULL if there is none. */
static struct remote *find(struct process *owner, uint32_t cookie)
{
    struct remote *r = owner->remotes;
    while (r && r->cookie != cookie)
        r = r->next;
    if (r) {
        r->refs++;
        r->received++;
    }
    return r;
}

static struct remote *make(struct process *owner, uint32_t cookie, const struct kiface *k)
{
    struct remote *r = heap_alloc(&kernel_heap, sizeof *r);
    if (!r)
        return 0;
    *r = (struct remote){{k->proxy_vtbl, (com_handle_t)(uintptr_t)r}, 1, owner, cookie, 1, k, 0};
    owner->iproc.lpVtbl->AddRef(&owner->iproc);
    return r;
}

static void unmake(struct remote *r)
{
    process_release(r->owner);
    heap_free(&kernel_heap, r);
}

static bool fits(const struct remote *r, const struct kiface *k)
{
    return k && (r->type == k || com_iid_equal(k->sig->iid, &IID_IUnknown));
}

/* The remote for cookie, made if there is none yet (outside the lock: the
 * heap takes a lock of its own). */
static struct remote *find_or_make(struct process *owner, uint32_t cookie, const struct kiface *k)
{
    spin_lock(&lock);
    struct remote *r = find(owner, cookie);
    spin_unlock(&lock);
    if (r)
        return r;
    struct remote *fresh = make(owner, cookie, k);
    if (!fresh)
        return 0;
    spin_lock(&lock);
    r = find(owner, cookie); /* made meanwhile by another thread? */
    if (!r) {
        r = fresh;
        r->next = owner->remotes;
        owner->remotes = r;
        live++;
        fresh = 0;
    }
    spin_unlock(&lock);
    if (fresh)
        unmake(fresh);
    return r;
}

SCODE remote_import(struct process *owner, uint32_t cookie, const IID *iid, IUnknown **out)
{
    const struct kiface *k = kiface_find(iid);
    *out = 0;
    if ((cookie & (IPC_COOKIE_BIT | IPC_COOKIE_TOKEN)) != IPC_COOKIE_BIT)
        return IPC_E_BAD_COOKIE;
    if (!k)
        return E_NOINTERFACE;
    if (!owner->pool.entry)
        return IPC_E_NOT_SERVING; /* no object of its can be called */
    struct remote *r = find_or_make(owner, cookie, k);
    if (!r)
        return E_OUTOFMEMORY;
    if (!fits(r, k)) {
        remote_release(r); /* the cookie was received all the same */
        return E_NOINTERFACE;
    }
    *out = (IUnknown *)r;
    return S_OK;
}

/* QueryInterface for the remote's own interface or IUnknown is answered
 * here: the remote is that interface, and the owner needs no call. */
static bool query_here(struct remote *r, uint32_t method, void *block)
{
    struct IUnknown_QueryInterface_args *a = block;
    if (method != IUnknown_M_QueryInterface || !a->riid || !a->ppv ||
        !fits(r, kiface_find(a->riid)))
        return false;
    remote_addref(r);
    *a->ppv = (com_handle_t)(uintptr_t)r;
    return true;
}

SCODE remote_invoke(struct remote *r, uint32_t method, void *block)
{
    if (query_here(r, method, block))
        return S_OK;
    return ipc_call(r->owner, r->cookie, r->type->sig, method, block);
}

SCODE remote_addref(struct remote *r)
{
    spin_lock(&lock);
    r->refs++;
    spin_unlock(&lock);
    return S_OK;
}

static void forget(struct remote *r)
{
    struct remote **p = &r->owner->remotes;
    while (*p != r)
        p = &(*p)->next;
    *p = r->next;
    live--;
}

/* The last reference went: tell the owner how many tokens it gets back. */
static void retire(struct remote *r)
{
    if (r->received)
        ipc_notify_disconnect(r->owner, r->cookie, r->received);
    unmake(r);
}

SCODE remote_release(struct remote *r)
{
    spin_lock(&lock);
    bool last = --r->refs == 0;
    if (last)
        forget(r);
    spin_unlock(&lock);
    if (last)
        retire(r);
    return S_OK;
}

/* A token goes home with the cookie when the remote ends with this
 * reference, or when the kernel holds more than one: while the remote
 * lives, the kernel keeps one, so the owner keeps the object. */
uint32_t remote_send_home(struct remote *r)
{
    uint32_t cookie = r->cookie;
    spin_lock(&lock);
    bool last = --r->refs == 0;
    bool token = last || r->received > 1;
    if (token) {
        r->received--;
        cookie |= IPC_COOKIE_TOKEN;
    }
    if (last)
        forget(r);
    spin_unlock(&lock);
    if (last)
        retire(r);
    return cookie;
}
