/* Address-space objects and view objects (see <kernel/vm/object.h>). */
#include <kernel/vm/object.h>
#include <stddef.h>

#define container_of(p, type, field) ((type *)(void *)((char *)(p)-offsetof(type, field)))

struct as_object {
    IAddressSpace ias;
    IMemoryObject mem; /* the whole space: offset = address */
    unsigned refs;
    struct as *as;
    void (*release)(struct as *as, void *arg);
    void *arg;
    IUnknown *outer; /* the object it is part of (as_object_set_outer), or NULL */
};

struct view {
    IMemoryObject mem;
    unsigned refs;
    struct as_object *base; /* referenced */
    vaddr_t start;          /* the view's offset 0, an address in base's space */
    size_t size;
    uint32_t prot; /* the most a mapping of it may allow */
};

/* What a memory object of ours stands for. */
struct object_range {
    struct as_object *base;
    vaddr_t start;
    size_t size;
    uint32_t prot;
};

static const struct IAddressSpaceVtbl as_vtbl;
static const struct IMemoryObjectVtbl as_mem_vtbl, view_vtbl;

static struct as_object *object_of_ias(IAddressSpace *p)
{
    return container_of(p, struct as_object, ias);
}

static struct as_object *object_of_mem(IMemoryObject *p)
{
    return container_of(p, struct as_object, mem);
}

static struct view *view_of(IMemoryObject *p)
{
    return container_of(p, struct view, mem);
}

/* A whole space: offset = address, every access. */
static struct object_range space_range(struct as_object *o)
{
    return (struct object_range){o, 0, o->as->hi, AS_PROT_MASK};
}

static struct object_range view_range(const struct view *v)
{
    return (struct object_range){v->base, v->start, v->size, v->prot};
}

/* The range behind a memory object; false if it is not one of ours. */
static bool resolve(IMemoryObject *m, struct object_range *r)
{
    if (m->lpVtbl == &as_mem_vtbl)
        *r = space_range(object_of_mem(m));
    else if (m->lpVtbl == &view_vtbl)
        *r = view_range(view_of(m));
    else
        return false;
    return true;
}

/* [offset, offset + size) must be whole pages inside the object. */
static SCODE check_subrange(const struct object_range *r, size_t offset, size_t size)
{
    if (offset % PAGE_SIZE)
        return VM_E_UNALIGNED_ADDRESS;
    if (size % PAGE_SIZE)
        return VM_E_UNALIGNED_SIZE;
    if (size == 0)
        return VM_E_ZERO_SIZE;
    if (offset + size < offset)
        return VM_E_WRAP;
    return offset + size <= r->size ? S_OK : VM_E_OUT_OF_RANGE;
}

static void object_addref(struct as_object *o)
{
    __atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);
}

static void object_release(struct as_object *o)
{
    if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    void (*release)(struct as *, void *) = o->release;
    struct as *as = o->as;
    void *arg = o->arg;
    heap_free(&kernel_heap, o);
    if (release)
        release(as, arg);
}

/* IUnknown of the address-space object, through either interface. */
static SCODE object_query(struct as_object *o, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    bool ours = com_iid_equal(riid, &IID_IAddressSpace) || com_iid_equal(riid, &IID_IMemoryObject);
    if (o->outer && !ours) /* the process's other interfaces, and its identity */
        return o->outer->lpVtbl->QueryInterface(o->outer, riid, ppv);
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_IAddressSpace))
        *ppv = &o->ias;
    else if (com_iid_equal(riid, &IID_IMemoryObject))
        *ppv = &o->mem;
    else
        return E_NOINTERFACE;
    object_addref(o);
    return S_OK;
}

static SCODE as_query_interface(IAddressSpace *This, REFIID riid, void **ppv)
{
    return object_query(object_of_ias(This), riid, ppv);
}

static SCODE as_addref(IAddressSpace *This)
{
    object_addref(object_of_ias(This));
    return S_OK;
}

static SCODE as_release(IAddressSpace *This)
{
    object_release(object_of_ias(This));
    return S_OK;
}

static struct as *space(IAddressSpace *This)
{
    return object_of_ias(This)->as;
}

static SCODE m_reserve(IAddressSpace *This, ADDRESS *pAddr, ADDR_SIZE Size, ADDR_FLAGS Flags)
{
    return as_reserve(space(This), pAddr, Size, Flags);
}

static SCODE m_commit(IAddressSpace *This, ADDRESS Addr, ADDR_SIZE Size, ADDR_FLAGS Flags)
{
    return as_commit(space(This), Addr, Size, Flags);
}

static SCODE m_decommit(IAddressSpace *This, ADDRESS Addr, ADDR_SIZE Size)
{
    return as_decommit(space(This), Addr, Size);
}

static SCODE m_protect(IAddressSpace *This, ADDRESS Addr, ADDR_SIZE Size, ADDR_FLAGS Prot)
{
    return as_protect(space(This), Addr, Size, Prot);
}

static SCODE m_deallocate(IAddressSpace *This, ADDRESS Addr, ADDR_SIZE Size)
{
    return as_deallocate(space(This), Addr, Size);
}

static SCODE m_allocate(IAddressSpace *This, ADDRESS *pAddr, ADDR_SIZE Size, ADDR_FLAGS Flags)
{
    return as_allocate(space(This), pAddr, Size, Flags);
}

/* Map: only the kernel's own memory objects, with no more access than
 * they allow (paper 2.2); the engine is as_map_range. A copy-on-write
 * mapping's writes never reach the object, so it needs only read access
 * for them (a read-only view of a file, mapped for private changes). */
static SCODE m_map(IAddressSpace *This, ADDRESS *pAddr, ADDR_SIZE Size, ADDR_FLAGS Flags,
                   IMemoryObject *pMemObj, ADDR_SIZE Offset)
{
    struct object_range r;
    if (!pMemObj)
        return E_POINTER;
    if (!resolve(pMemObj, &r))
        return VM_E_FOREIGN_OBJECT;
    SCODE sc = check_subrange(&r, Offset, Size);
    if (FAILED(sc))
        return sc;
    uint32_t needs = Flags & AS_PROT_MASK;
    if (Flags & AS_MAP_COPY_ON_WRITE)
        needs &= ~AS_PROT_WRITE;
    if (needs & ~r.prot)
        return VM_E_ACCESS_DENIED;
    return as_map_range(space(This), pAddr, Size, Flags, r.base->as, r.start + Offset);
}

static SCODE m_query(IAddressSpace *This, ADDRESS Addr, ADDR_REGION_INFO *pInfo)
{
    return as_query(space(This), Addr, pInfo);
}

static SCODE m_memory_status(IAddressSpace *This, MEMORY_STATUS *pStatus)
{
    return as_memory_status(space(This), pStatus);
}

static SCODE m_reservation_info(IAddressSpace *This, ADDR_SIZE *pReserve, ADDR_SIZE *pMap)
{
    size_t reserve, map;
    SCODE sc = as_reservation_info(space(This), pReserve ? &reserve : NULL, pMap ? &map : NULL);
    if (SUCCEEDED(sc)) {
        *pReserve = reserve;
        *pMap = map;
    }
    return sc;
}

static const struct IAddressSpaceVtbl as_vtbl = {
    as_query_interface, as_addref,    as_release, m_reserve, m_commit, m_decommit,
    m_protect,          m_deallocate, m_allocate, m_map,     m_query,  m_memory_status,
    m_reservation_info,
};

/* A view on [offset, offset + size) of r, with at most prot. */
static SCODE make_view(const struct object_range *r, size_t offset, size_t size, uint32_t prot,
                       IMemoryObject **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (prot & ~AS_PROT_MASK)
        return VM_E_BAD_FLAGS;
    if (prot & ~r->prot)
        return VM_E_ACCESS_DENIED;
    SCODE sc = check_subrange(r, offset, size);
    if (FAILED(sc))
        return sc;
    struct view *v = heap_alloc(&kernel_heap, sizeof *v);
    if (!v)
        return E_OUTOFMEMORY;
    *v = (struct view){{&view_vtbl}, 1, r->base, r->start + offset, size, prot};
    object_addref(r->base);
    *out = &v->mem;
    return S_OK;
}

static SCODE mem_query_interface(IMemoryObject *This, REFIID riid, void **ppv)
{
    return object_query(object_of_mem(This), riid, ppv);
}

static SCODE mem_addref(IMemoryObject *This)
{
    object_addref(object_of_mem(This));
    return S_OK;
}

static SCODE mem_release(IMemoryObject *This)
{
    object_release(object_of_mem(This));
    return S_OK;
}

static SCODE mem_restricted_access(IMemoryObject *This, ADDR_SIZE Offset, ADDR_SIZE Size,
                                   ADDR_FLAGS Prot, IMemoryObject **pMemObj)
{
    struct object_range r = space_range(object_of_mem(This));
    return make_view(&r, Offset, Size, Prot, pMemObj);
}

static const struct IMemoryObjectVtbl as_mem_vtbl = {
    mem_query_interface,
    mem_addref,
    mem_release,
    mem_restricted_access,
};

static SCODE view_addref(IMemoryObject *This)
{
    __atomic_fetch_add(&view_of(This)->refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

/* A view is an object of its own: IUnknown and IMemoryObject only. */
static SCODE view_query_interface(IMemoryObject *This, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_IMemoryObject))
        return E_NOINTERFACE;
    *ppv = This;
    return view_addref(This);
}

static SCODE view_release(IMemoryObject *This)
{
    struct view *v = view_of(This);
    if (__atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return S_OK;
    struct as_object *base = v->base;
    heap_free(&kernel_heap, v);
    object_release(base);
    return S_OK;
}

/* A view of a view stays inside it: offsets are the view's own. */
static SCODE view_restricted_access(IMemoryObject *This, ADDR_SIZE Offset, ADDR_SIZE Size,
                                    ADDR_FLAGS Prot, IMemoryObject **pMemObj)
{
    struct object_range r = view_range(view_of(This));
    return make_view(&r, Offset, Size, Prot, pMemObj);
}

static const struct IMemoryObjectVtbl view_vtbl = {
    view_query_interface,
    view_addref,
    view_release,
    view_restricted_access,
};

IAddressSpace *as_object_create(struct as *as, void (*release)(struct as *as, void *arg), void *arg)
{
    struct as_object *o = heap_alloc(&kernel_heap, sizeof *o);
    if (!o)
        return NULL;
    *o = (struct as_object){{&as_vtbl}, {&as_mem_vtbl}, 1, as, release, arg, NULL};
    return &o->ias;
}

void as_object_set_outer(IAddressSpace *ias, IUnknown *outer)
{
    object_of_ias(ias)->outer = outer;
}

struct as *as_object_space(IAddressSpace *ias)
{
    return ias && ias->lpVtbl == &as_vtbl ? object_of_ias(ias)->as : NULL;
}
