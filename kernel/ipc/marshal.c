/* The COM hooks generated code calls (<com/com.h>), as the kernel
 * implements them. In the kernel a com_handle_t is the object's kernel
 * pointer: the kernel's stubs and proxies work in kernel pointers, and the
 * transports translate at the edge of a process (transfer.h: a kernel
 * call's handles, a call into a process's cookies and handles). A handle
 * in a block carries one reference, which whoever takes it owns. */
#include <kernel/ipc/remote.h>
#include <kernel/ipc/transfer.h>
#include <kernel/vm/heap.h>

static IUnknown *obj(com_handle_t h)
{
    return (IUnknown *)(uintptr_t)h;
}

SCODE com_marshal_interface(void *itf, const IID *iid, com_handle_t *out)
{
    (void)iid;
    *out = (com_handle_t)(uintptr_t)itf;
    if (itf)
        obj(*out)->lpVtbl->AddRef(itf);
    return S_OK;
}

SCODE com_unmarshal_interface(com_handle_t h, const IID *iid, void **out)
{
    *out = 0;
    if (!h)
        return S_OK;
    SCODE sc = ipc_query(obj(h), iid, (IUnknown **)out);
    if (SUCCEEDED(sc))
        com_release_handle(h); /* taken: the result holds its own */
    return sc;
}

void com_release_interface(void *itf)
{
    if (itf)
        ((IUnknown *)itf)->lpVtbl->Release(itf);
}

void com_release_handle(com_handle_t h)
{
    if (h)
        obj(h)->lpVtbl->Release(obj(h));
}

/* Kernel proxies are remote objects (remote.h). */
SCODE com_proxy_addref(void *proxy)
{
    return remote_addref(proxy);
}

SCODE com_proxy_release(void *proxy)
{
    return remote_release(proxy);
}

SCODE com_invoke(com_handle_t h, const IID *iid, uint32_t method, void *args)
{
    (void)iid; /* the remote knows its interface */
    return remote_invoke((struct remote *)(uintptr_t)h, method, args);
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
