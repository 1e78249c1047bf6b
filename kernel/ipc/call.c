/* A call into a process as an image (see <kernel/ipc/call.h>). */
#include <kernel/arch.h>
#include <kernel/ipc/call.h>
#include <kernel/ipc/sigeval.h>
#include <kernel/ipc/transfer.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/pmem.h>

#define MAX_STRING 4096

static uint32_t align8(uint32_t n)
{
    return (n + 7) & ~7u;
}

static bool is_iface(uint8_t kind)
{
    return kind >= COM_ARG_IFACE_IN;
}

static bool comes_back(uint8_t kind)
{
    return kind == COM_ARG_OUT_PTR || kind == COM_ARG_INOUT_PTR || kind == COM_ARG_IFACE_OUT ||
           kind == COM_ARG_IFACE_OUT_ARRAY;
}

static bool goes_in(uint8_t kind)
{
    return kind == COM_ARG_IN_PTR || kind == COM_ARG_INOUT_PTR || kind == COM_ARG_STRING ||
           kind == COM_ARG_IFACE_IN_ARRAY;
}

static uint32_t elem_size(const struct com_arg_sig *a)
{
    return is_iface(a->kind) ? sizeof(com_handle_t) : a->size;
}

static void write_ptr(void *block, const struct com_arg_sig *a, uintptr_t p)
{
    memcpy((char *)block + a->offset, &p, sizeof p);
}

static SCODE string_bytes(const char *s, uint32_t *bytes)
{
    for (uint32_t n = 0; n < MAX_STRING; n++) {
        if (s[n] == 0) {
            *bytes = n + 1;
            return S_OK;
        }
    }
    return RPC_E_INVALID_BOUND;
}

/* How many bytes of data argument i of the caller's block brings. */
static SCODE arg_bytes(const struct com_method_sig *m, const void *kblock, unsigned i,
                       struct ipc_place *pl)
{
    const struct com_arg_sig *a = &m->args[i];
    const void *p = com_sig_read_ptr(kblock, a);
    pl->bytes = 0;
    pl->present = p != 0;
    if (!p)
        return a->flags & COM_ARG_UNIQUE ? S_OK : E_POINTER;
    if (a->kind == COM_ARG_STRING)
        return string_bytes(p, &pl->bytes);
    uint64_t count;
    size_t n = 0;
    SCODE sc = com_sig_count(m, kblock, a->size_is, 1, &count);
    if (SUCCEEDED(sc))
        sc = com_sig_bytes(count, elem_size(a), IPC_MAX_DATA, &n);
    pl->bytes = (uint32_t)n;
    return SUCCEEDED(sc) ? S_OK : IPC_E_TOO_BIG;
}

static SCODE layout(const struct com_method_sig *m, const void *kblock, struct ipc_place *place,
                    uint32_t *size)
{
    if (m->nargs > IPC_MAX_ARGS || m->block_size > IPC_MAX_BLOCK)
        return E_NOTIMPL;
    *size = align8(m->block_size);
    for (unsigned i = 0; i < m->nargs; i++) {
        const struct com_arg_sig *a = &m->args[i];
        place[i] = (struct ipc_place){*size, 0, false};
        if (a->nfields)
            return E_NOTIMPL;
        if (a->kind == COM_ARG_VALUE || a->kind == COM_ARG_IFACE_IN)
            continue;
        SCODE sc = arg_bytes(m, kblock, i, &place[i]);
        if (FAILED(sc))
            return sc;
        *size += align8(place[i].bytes);
        if (*size > IPC_MAX_DATA)
            return IPC_E_TOO_BIG;
    }
    return S_OK;
}

/* A call record and its image: a user thread's own spare record when it
 * fits (a thread makes one call at a time; the record goes back to it
 * unless the caller abandoned the call), else from the heap when small,
 * else a run of pages in unmapped memory. */
static void *record(size_t bytes, uint32_t pages, struct thread **spare_of)
{
    struct thread *self = thread_current();
    *spare_of = 0;
    if (pages) {
        paddr_t run = pmem_alloc_run(pages);
        return run == PADDR_NONE ? 0 : phys_to_virt(run);
    }
    if (bytes > IPC_SPARE_BYTES || !self || !self->process)
        return heap_alloc(&kernel_heap, bytes);
    void *r = self->ipc_spare ? self->ipc_spare : heap_alloc(&kernel_heap, IPC_SPARE_BYTES);
    self->ipc_spare = 0;
    *spare_of = r ? self : 0;
    return r;
}

static struct ipc_call *alloc_call(uint32_t size)
{
    size_t bytes = sizeof(struct ipc_call) + size;
    uint32_t pages = bytes > HEAP_MAX_SIZE ? (bytes + PAGE_SIZE - 1) / PAGE_SIZE : 0;
    struct thread *spare_of;
    struct ipc_call *c = record(bytes, pages, &spare_of);
    if (c) {
        memset(c, 0, sizeof *c); /* the image: filled, or zeroed where it is out data */
        c->size = size;
        c->pages = pages;
        c->spare_of = spare_of;
    }
    return c;
}

static void free_call(struct ipc_call *c)
{
    if (c->pages)
        pmem_free_run(virt_to_phys(c), c->pages);
    else if (c->spare_of && c->spare_of == thread_current() && !c->spare_of->ipc_spare)
        c->spare_of->ipc_spare = c;
    else
        heap_free(&kernel_heap, c);
}

void call_drop_spare(struct thread *t)
{
    if (t->ipc_spare)
        heap_free(&kernel_heap, t->ipc_spare);
    t->ipc_spare = 0;
}

/* Each interface reference argument i of the image holds: a slot of the
 * block, or an array in the data. */
static com_handle_t *iface_slots(struct ipc_call *c, uint8_t *base, unsigned i, uint32_t *n)
{
    const struct com_arg_sig *a = &c->m->args[i];
    *n = a->kind == COM_ARG_IFACE_IN ? 1 : c->place[i].bytes / sizeof(com_handle_t);
    return (com_handle_t *)(a->kind == COM_ARG_IFACE_IN ? base + a->offset
                                                        : base + c->place[i].offset);
}

static void release_refs(struct ipc_call *c, bool in)
{
    for (unsigned i = 0; c->m && i < c->m->nargs; i++) {
        uint8_t k = c->m->args[i].kind;
        bool is_in = k == COM_ARG_IFACE_IN || k == COM_ARG_IFACE_IN_ARRAY;
        if (!is_iface(k) || is_in != in)
            continue;
        uint32_t n;
        com_handle_t *h = iface_slots(c, c->image, i, &n);
        for (uint32_t j = 0; j < n; j++, h++) {
            IUnknown *o = (IUnknown *)(uintptr_t)*h;
            *h = 0;
            if (o)
                o->lpVtbl->Release(o);
        }
    }
}

void call_free(struct ipc_call *c)
{
    if (c->in_owned)
        release_refs(c, true);
    if (c->out_owned)
        release_refs(c, false);
    free_call(c);
}

/* The block's [in] interface references, when no call took them (an
 * array whose count cannot be worked out is left alone). */
static void release_block_refs(const struct com_method_sig *m, void *kblock)
{
    for (unsigned i = 0; i < m->nargs && i < IPC_MAX_ARGS; i++) {
        const struct com_arg_sig *a = &m->args[i];
        uint64_t n = 1;
        com_handle_t *h = (com_handle_t *)((char *)kblock + a->offset);
        if (a->kind == COM_ARG_IFACE_IN_ARRAY) {
            h = com_sig_read_ptr(kblock, a);
            if (!h || FAILED(com_sig_count(m, kblock, a->size_is, 1, &n)) || n > IPC_MAX_DATA)
                continue;
        } else if (a->kind != COM_ARG_IFACE_IN) {
            continue;
        }
        for (uint64_t j = 0; j < n; j++)
            if (h[j])
                ((IUnknown *)(uintptr_t)h[j])->lpVtbl->Release((IUnknown *)(uintptr_t)h[j]);
    }
}

/* The image: the block, in data copied, out data zeroed (so nothing of
 * the kernel's reaches the server), padding zeroed. */
static void fill(struct ipc_call *c)
{
    uint32_t block = align8(c->m->block_size);
    memset(c->image + c->m->block_size, 0, block - c->m->block_size);
    memcpy(c->image, c->kblock, c->m->block_size);
    for (unsigned i = 0; i < c->m->nargs; i++) {
        const struct com_arg_sig *a = &c->m->args[i];
        const struct ipc_place *pl = &c->place[i];
        uint8_t *at = c->image + pl->offset;
        if (a->kind == COM_ARG_VALUE || a->kind == COM_ARG_IFACE_IN)
            continue;
        if (goes_in(a->kind) && pl->present)
            memcpy(at, com_sig_read_ptr(c->kblock, a), pl->bytes);
        else
            memset(at, 0, pl->bytes);
        memset(at + pl->bytes, 0, align8(pl->bytes) - pl->bytes);
    }
}

SCODE call_build(const struct com_method_sig *m, uint32_t cookie, uint32_t method, void *kblock,
                 struct ipc_call **out)
{
    struct ipc_place place[IPC_MAX_ARGS];
    uint32_t size;
    SCODE sc = layout(m, kblock, place, &size);
    struct ipc_call *c = SUCCEEDED(sc) ? alloc_call(size) : 0;
    if (!c) {
        release_block_refs(m, kblock);
        return FAILED(sc) ? sc : E_OUTOFMEMORY;
    }
    c->m = m;
    c->cookie = cookie;
    c->method = method;
    c->kblock = kblock;
    memcpy(c->place, place, sizeof(struct ipc_place) * m->nargs);
    fill(c);
    c->in_owned = true;
    *out = c;
    return S_OK;
}

struct ipc_call *call_notice(uint32_t cookie, uint32_t method, uint32_t value)
{
    struct ipc_call *c = alloc_call(8);
    if (c) {
        c->cookie = cookie;
        c->method = method;
        memset(c->image, 0, 8);
        memcpy(c->image, &value, sizeof value);
    }
    return c;
}

/* The interface an interface argument is: its own, or its iid_is
 * parameter's (an [in] IID the image carries). */
static const IID *iid_of(const struct ipc_call *c, const struct com_arg_sig *a)
{
    if (a->iid_param == COM_NO_PARAM)
        return a->iid;
    const struct ipc_place *pl = &c->place[a->iid_param];
    return pl->present && pl->bytes >= sizeof(IID) ? (const IID *)(c->image + pl->offset) : 0;
}

/* The [in] references of the image into p's terms, in kbuf. */
static SCODE send_ifaces(struct ipc_call *c, struct process *p, uint8_t *kbuf)
{
    SCODE sc = S_OK;
    for (unsigned i = 0; i < c->m->nargs; i++) {
        const struct com_arg_sig *a = &c->m->args[i];
        if (a->kind != COM_ARG_IFACE_IN && a->kind != COM_ARG_IFACE_IN_ARRAY)
            continue;
        uint32_t n;
        com_handle_t *from = iface_slots(c, c->image, i, &n), *to = iface_slots(c, kbuf, i, &n);
        const IID *iid = iid_of(c, a);
        for (uint32_t j = 0; j < n; j++) {
            IUnknown *o = (IUnknown *)(uintptr_t)from[j];
            com_handle_t h = 0;
            from[j] = 0;
            SCODE e = !o ? S_OK : iid ? ipc_export(p, o, iid, &h) : E_POINTER;
            if (FAILED(e) && iid == 0 && o)
                o->lpVtbl->Release(o);
            sc = FAILED(sc) ? sc : e;
            to[j] = h;
        }
    }
    c->in_owned = false;
    return sc;
}

SCODE call_deliver(struct ipc_call *c, struct process *p, uint8_t *kbuf, uintptr_t ubuf,
                   uint32_t size, SERVE_REQUEST *req)
{
    if (c->size > size)
        return IPC_E_TOO_BIG;
    memcpy(kbuf, c->image, c->size);
    for (unsigned i = 0; c->m && i < c->m->nargs; i++) {
        const struct com_arg_sig *a = &c->m->args[i];
        if (a->kind != COM_ARG_VALUE && a->kind != COM_ARG_IFACE_IN)
            write_ptr(kbuf, a, c->place[i].present ? ubuf + c->place[i].offset : 0);
    }
    SCODE sc = c->m ? send_ifaces(c, p, kbuf) : S_OK;
    *req = (SERVE_REQUEST){c->cookie, c->method, ubuf};
    return sc;
}

/* The server's [out] handles and cookies, now in the image, into kernel
 * references. */
static SCODE take_ifaces(struct ipc_call *c, struct process *p)
{
    SCODE sc = S_OK;
    for (unsigned i = 0; i < c->m->nargs; i++) {
        const struct com_arg_sig *a = &c->m->args[i];
        if (a->kind != COM_ARG_IFACE_OUT && a->kind != COM_ARG_IFACE_OUT_ARRAY)
            continue;
        uint32_t n;
        com_handle_t *h = iface_slots(c, c->image, i, &n);
        const IID *iid = iid_of(c, a);
        for (uint32_t j = 0; j < n; j++) {
            IUnknown *o = 0;
            SCODE e = h[j] && iid ? ipc_import(p, h[j], iid, &o) : h[j] ? E_POINTER : S_OK;
            h[j] = (com_handle_t)(uintptr_t)o;
            sc = FAILED(sc) ? sc : e;
        }
    }
    return sc;
}

void call_collect(struct ipc_call *c, struct process *p, SCODE result, const uint8_t *kbuf)
{
    c->result = result;
    if (!c->m || FAILED(result))
        return;
    for (unsigned i = 0; i < c->m->nargs; i++) {
        const struct ipc_place *pl = &c->place[i];
        if (comes_back(c->m->args[i].kind) && pl->present)
            memcpy(c->image + pl->offset, kbuf + pl->offset, pl->bytes);
    }
    c->out_owned = true;
    SCODE sc = take_ifaces(c, p);
    if (FAILED(sc))
        c->result = sc;
}

/* Elements of argument a the caller gets: length_is of them, evaluated
 * against the returned image, at most what the caller's size_is allowed. */
static SCODE returned_bytes(const struct ipc_call *c, const void *eval, unsigned i, uint32_t *n)
{
    const struct com_arg_sig *a = &c->m->args[i];
    *n = c->place[i].bytes;
    if (!a->length_is)
        return S_OK;
    uint64_t count;
    SCODE sc = com_sig_count(c->m, eval, a->length_is, 0, &count);
    if (FAILED(sc) || count > *n / (elem_size(a) ? elem_size(a) : 1))
        return RPC_E_INVALID_BOUND;
    *n = (uint32_t)count * elem_size(a);
    return S_OK;
}

/* A copy of the image's block whose pointers point into the image. */
static void eval_block(const struct ipc_call *c, uint8_t *eval)
{
    memcpy(eval, c->image, c->m->block_size);
    for (unsigned i = 0; i < c->m->nargs; i++) {
        const struct com_arg_sig *a = &c->m->args[i];
        if (a->kind != COM_ARG_VALUE && a->kind != COM_ARG_IFACE_IN)
            write_ptr(eval, a, c->place[i].present ? (uintptr_t)c->image + c->place[i].offset : 0);
    }
}

static SCODE copy_out(struct ipc_call *c)
{
    uint8_t eval[IPC_MAX_BLOCK] __attribute__((aligned(8)));
    uint32_t n[IPC_MAX_ARGS];
    eval_block(c, eval);
    for (unsigned i = 0; i < c->m->nargs; i++) {
        SCODE sc = comes_back(c->m->args[i].kind) && c->place[i].present
                       ? returned_bytes(c, eval, i, &n[i])
                       : S_OK;
        if (FAILED(sc))
            return sc;
    }
    for (unsigned i = 0; i < c->m->nargs; i++) {
        const struct com_arg_sig *a = &c->m->args[i];
        if (!comes_back(a->kind) || !c->place[i].present)
            continue;
        memcpy(com_sig_read_ptr(c->kblock, a), c->image + c->place[i].offset, n[i]);
        if (is_iface(a->kind)) /* given: the rest (past length_is) stays the call's */
            memset(c->image + c->place[i].offset, 0, n[i]);
    }
    return S_OK;
}

SCODE call_finish(struct ipc_call *c)
{
    SCODE sc = c->result;
    if (SUCCEEDED(sc)) {
        SCODE out = copy_out(c);
        sc = FAILED(out) ? out : sc;
    }
    call_free(c);
    return sc;
}
