/* The COM hooks generated stubs call (<com/com.h>), as the kernel
 * implements them: a handle is an entry of the calling process's handle
 * table, and an interface pointer is the kernel object itself. */
#include <kernel/ipc/iface.h>
#include <kernel/proc/process.h>
#include <kernel/vm/heap.h>

SCODE com_marshal_interface(void *itf, const IID *iid, com_handle_t *out)
{
    *out = 0;
    if (!itf)
        return S_OK;
    struct process *p = process_current();
    const struct kiface *k = kiface_find(iid);
    if (!p)
        return E_UNEXPECTED;
    if (!k)
        return E_NOINTERFACE;
    IUnknown *u = itf;
    u->lpVtbl->AddRef(u); /* the handle's own reference: the caller keeps its */
    SCODE sc = handle_insert(&p->handles, u, k, out);
    if (FAILED(sc))
        u->lpVtbl->Release(u);
    return sc;
}

/* The object a handle names, as interface iid (QueryInterface checks the
 * object really has it: a handle of another kind is E_NOINTERFACE). */
SCODE com_unmarshal_interface(com_handle_t h, const IID *iid, void **out)
{
    *out = 0;
    if (!h)
        return S_OK;
    struct process *p = process_current();
    IUnknown *o;
    SCODE sc = p ? handle_lookup(&p->handles, h, &o, 0) : E_HANDLE;
    if (FAILED(sc))
        return sc;
    sc = o->lpVtbl->QueryInterface(o, iid, out);
    o->lpVtbl->Release(o);
    return sc;
}

void com_release_interface(void *itf)
{
    if (itf)
        ((IUnknown *)itf)->lpVtbl->Release(itf);
}

void com_release_handle(com_handle_t h)
{
    struct process *p = process_current();
    if (p && h)
        handle_close(&p->handles, h);
}

void *com_alloc(size_t n)
{
    return heap_alloc(&kernel_heap, n ? n : 1);
}

void com_free(void *p)
{
    if (p)
        heap_free(&kernel_heap, p);
}
