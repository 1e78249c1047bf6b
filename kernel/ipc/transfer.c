/* Interface pointers between a process's terms and the kernel's (see
 * <kernel/ipc/transfer.h>). */
#include <IProcess.h>
#include <kernel/ipc/iface.h>
#include <kernel/ipc/remote.h>
#include <kernel/ipc/transfer.h>
#include <kernel/ipc/sigeval.h>
#include <kernel/proc/process.h>
#include <kernel/string.h>
#include <kernel/vm/heap.h>

SCODE ipc_query(IUnknown *obj, const IID *iid, IUnknown **out)
{
    struct remote *r = remote_of(obj);
    if (r && (com_iid_equal(iid, r->type->sig->iid) || com_iid_equal(iid, &IID_IUnknown))) {
        remote_addref(r);
        *out = obj;
        return S_OK;
    }
    return obj->lpVtbl->QueryInterface(obj, iid, (void **)out);
}

static SCODE import_handle(struct process *p, com_handle_t h, const IID *iid, IUnknown **out)
{
    IUnknown *o;
    const struct kiface *type;
    SCODE sc = handle_lookup(&p->handles, h, &o, (const void **)&type);
    if (FAILED(sc))
        return E_HANDLE;
    handle_release(&p->handles, h, &sc);
    if (com_iid_equal(type->sig->iid, iid)) {
        *out = o; /* the lookup's reference */
        return S_OK;
    }
    sc = ipc_query(o, iid, out);
    o->lpVtbl->Release(o);
    return sc;
}

SCODE ipc_import(struct process *p, com_handle_t h, const IID *iid, IUnknown **out)
{
    *out = 0;
    if (!h)
        return S_OK;
    if (h & IPC_COOKIE_BIT)
        return remote_import(p, h, iid, out);
    return import_handle(p, h, iid, out);
}

SCODE ipc_export(struct process *p, IUnknown *obj, const IID *iid, com_handle_t *out)
{
    *out = 0;
    if (!obj)
        return S_OK;
    struct remote *r = remote_of(obj);
    if (r && r->owner == p) {
        *out = remote_send_home(r);
        return S_OK;
    }
    const struct kiface *k = kiface_find(iid);
    SCODE sc = k ? handle_insert(&p->handles, obj, k, out) : E_NOINTERFACE;
    if (FAILED(sc))
        obj->lpVtbl->Release(obj);
    return sc;
}

/* The kernel call side. The arguments an iid_is names are snapshotted
 * first, so the IID the callee sees is the one its results are exported
 * as. */

static void write_ptr(void *block, const struct com_arg_sig *a, const void *p)
{
    memcpy((char *)block + a->offset, &p, sizeof p);
}

static bool is_iface(uint8_t kind)
{
    return kind >= COM_ARG_IFACE_IN;
}

static SCODE snapshot_iids(const struct com_method_sig *m, void *block, struct kcall_ifaces *x)
{
    for (unsigned i = 0; i < m->nargs; i++) {
        const struct com_arg_sig *a = &m->args[i];
        if (!is_iface(a->kind) || a->iid_param == COM_NO_PARAM)
            continue;
        if (a->iid_param >= m->nargs)
            return E_INVALIDARG;
        const struct com_arg_sig *ia = &m->args[a->iid_param];
        const IID *from = com_sig_read_ptr(block, ia);
        if (!from || ia->size != sizeof(IID))
            return E_POINTER;
        if (from != &x->iid[a->iid_param]) {
            x->iid[a->iid_param] = *from;
            write_ptr(block, ia, &x->iid[a->iid_param]);
        }
    }
    return S_OK;
}

static const IID *iid_of(const struct com_method_sig *m, const void *block,
                         const struct com_arg_sig *a)
{
    return a->iid_param == COM_NO_PARAM ? a->iid : com_sig_read_ptr(block, &m->args[a->iid_param]);
}

static SCODE count_of(const struct com_method_sig *m, const void *block,
                      const struct com_expr_op *ops, uint32_t max, uint32_t *n)
{
    uint64_t v;
    SCODE sc = com_sig_count(m, block, ops, 1, &v);
    if (SUCCEEDED(sc) && v > max)
        sc = RPC_E_INVALID_BOUND;
    *n = SUCCEEDED(sc) ? (uint32_t)v : 0;
    return sc;
}

/* Import n of p's handles from `from` into kernel references at `to`;
 * the first failure, every handle taken all the same. */
static SCODE import_all(struct process *p, const com_handle_t *from, com_handle_t *to, uint32_t n,
                        const IID *iid)
{
    SCODE sc = S_OK;
    for (uint32_t j = 0; j < n; j++) {
        IUnknown *o = 0;
        SCODE e = ipc_import(p, from[j], iid, &o);
        to[j] = (com_handle_t)(uintptr_t)o;
        sc = FAILED(sc) ? sc : e;
    }
    return sc;
}

static void release_all(com_handle_t *h, uint32_t n)
{
    for (uint32_t j = 0; j < n; j++)
        if (h[j])
            ((IUnknown *)(uintptr_t)h[j])->lpVtbl->Release((IUnknown *)(uintptr_t)h[j]);
}

/* The kernel's copy of interface array argument i: its size_is elements
 * (at most KCALL_MAX_IFACE_ARRAY), zeroed, kept in x and put in the block
 * in place of the caller's pointer. */
static SCODE kernel_array(const struct com_method_sig *m, void *block, unsigned i,
                          struct kcall_ifaces *x, com_handle_t **out)
{
    SCODE sc = count_of(m, block, m->args[i].size_is, KCALL_MAX_IFACE_ARRAY, &x->n[i]);
    size_t bytes = x->n[i] * sizeof(com_handle_t);
    com_handle_t *arr = SUCCEEDED(sc) ? heap_alloc(&kernel_heap, bytes + sizeof *arr) : 0;
    *out = arr;
    if (!arr)
        return FAILED(sc) ? sc : E_OUTOFMEMORY;
    memset(arr, 0, bytes);
    x->mem[i] = arr;
    write_ptr(block, &m->args[i], arr);
    return S_OK;
}

static SCODE in_array(struct process *p, const struct com_method_sig *m, void *block, unsigned i,
                      struct kcall_ifaces *x)
{
    const struct com_arg_sig *a = &m->args[i];
    const com_handle_t *from = com_sig_read_ptr(block, a);
    com_handle_t *arr;
    if (!from)
        return S_OK;
    SCODE sc = kernel_array(m, block, i, x, &arr);
    return FAILED(sc) ? sc : import_all(p, from, arr, x->n[i], iid_of(m, block, a));
}

static SCODE out_arg(const struct com_method_sig *m, void *block, unsigned i,
                     struct kcall_ifaces *x)
{
    const struct com_arg_sig *a = &m->args[i];
    com_handle_t *user = com_sig_read_ptr(block, a), *arr;
    x->user[i] = user;
    if (!user)
        return S_OK;
    if (a->kind == COM_ARG_IFACE_OUT) {
        x->slot[i] = 0;
        write_ptr(block, a, &x->slot[i]);
        return S_OK;
    }
    return kernel_array(m, block, i, x, &arr);
}

/* Args [0, done) were imported: release what they hold now. */
static void undo_in(const struct com_method_sig *m, void *block, struct kcall_ifaces *x,
                    unsigned done)
{
    for (unsigned i = 0; i < done; i++) {
        const struct com_arg_sig *a = &m->args[i];
        if (a->kind == COM_ARG_IFACE_IN)
            release_all((com_handle_t *)((char *)block + a->offset), 1);
        else if (a->kind == COM_ARG_IFACE_IN_ARRAY && x->mem[i])
            release_all(x->mem[i], x->n[i]);
        if (x->mem[i])
            heap_free(&kernel_heap, x->mem[i]);
        x->mem[i] = 0;
    }
}

/* The [in] handles of args [from, nargs), never imported: p loses them. */
static void drop_from(struct process *p, const struct com_method_sig *m, const void *block,
                      unsigned from)
{
    for (unsigned i = from; i < m->nargs; i++) {
        com_handle_t h;
        IUnknown *o = 0;
        memcpy(&h, (const char *)block + m->args[i].offset, sizeof h);
        if (m->args[i].kind == COM_ARG_IFACE_IN && SUCCEEDED(ipc_import(p, h, &IID_IUnknown, &o)) &&
            o)
            o->lpVtbl->Release(o);
    }
}

SCODE kcall_ifaces_in(struct process *p, const struct com_method_sig *m, void *block,
                      struct kcall_ifaces *x)
{
    if (m->nargs > KCALL_MAX_IFACE_ARGS) {
        drop_from(p, m, block, 0);
        return E_NOTIMPL;
    }
    memset(x->mem, 0, sizeof x->mem);
    SCODE sc = snapshot_iids(m, block, x);
    unsigned i = 0;
    for (; SUCCEEDED(sc) && i < m->nargs; i++) {
        const struct com_arg_sig *a = &m->args[i];
        com_handle_t *slot = (com_handle_t *)((char *)block + a->offset);
        if (a->kind == COM_ARG_IFACE_IN)
            sc = import_all(p, slot, slot, 1, iid_of(m, block, a));
        else if (a->kind == COM_ARG_IFACE_IN_ARRAY)
            sc = in_array(p, m, block, i, x);
        else if (a->kind == COM_ARG_IFACE_OUT || a->kind == COM_ARG_IFACE_OUT_ARRAY)
            sc = out_arg(m, block, i, x);
    }
    if (FAILED(sc)) {
        undo_in(m, block, x, i);
        drop_from(p, m, block, i);
    }
    return sc;
}

void kcall_ifaces_drop(struct process *p, const struct com_method_sig *m, const void *block)
{
    drop_from(p, m, block, 0);
}

/* Out references into handles of p at user (len of n; the rest dropped). */
static SCODE export_all(struct process *p, com_handle_t *refs, com_handle_t *user, uint32_t n,
                        uint32_t len, const IID *iid, SCODE sc)
{
    for (uint32_t j = 0; j < n; j++) {
        IUnknown *o = (IUnknown *)(uintptr_t)refs[j];
        com_handle_t h = 0;
        refs[j] = 0;
        if (SUCCEEDED(sc) && j < len) {
            SCODE e = ipc_export(p, o, iid, &h);
            sc = FAILED(e) ? e : sc;
            user[j] = h;
        } else if (o) {
            o->lpVtbl->Release(o);
        }
    }
    return sc;
}

/* length_is of an [out] array, from the callee's values, within its size. */
static uint32_t out_length(const struct com_method_sig *m, const void *block,
                           const struct com_arg_sig *a, uint32_t n, SCODE *sc)
{
    uint32_t len = n;
    if (a->length_is && SUCCEEDED(*sc)) {
        SCODE e = count_of(m, block, a->length_is, n, &len);
        *sc = FAILED(e) ? e : *sc;
    }
    return len;
}

SCODE kcall_ifaces_out(struct process *p, const struct com_method_sig *m, void *block,
                       struct kcall_ifaces *x, SCODE sc)
{
    for (unsigned i = 0; i < m->nargs; i++) {
        const struct com_arg_sig *a = &m->args[i];
        if (a->kind == COM_ARG_IFACE_OUT && x->user[i]) {
            sc = export_all(p, &x->slot[i], x->user[i], 1, 1, iid_of(m, block, a), sc);
        } else if (a->kind == COM_ARG_IFACE_OUT_ARRAY && x->mem[i]) {
            uint32_t len = out_length(m, block, a, x->n[i], &sc);
            sc = export_all(p, x->mem[i], x->user[i], x->n[i], len, iid_of(m, block, a), sc);
        }
        if (x->mem[i])
            heap_free(&kernel_heap, x->mem[i]);
        x->mem[i] = 0;
    }
    return sc;
}
