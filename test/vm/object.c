/* Address-space objects and view objects (kernel/vm/object.c): the space
 * behind the generated IAddressSpace and IMemoryObject vtbls, COM's
 * identity and reference rules, views that restrict range and access, and
 * Map taking only the kernel's own memory objects (paper 2.2). */
#include "vmtest.h"

#include <criterion/criterion.h>
#include <kernel/vm/object.h>

TestSuite(vm_object, .init = vmtest_init, .fini = vmtest_fini);

#define RW (AS_PROT_READ | AS_PROT_WRITE)

static const IID IID_unknown_here = {0x12345678u, 0x9abcu, 0xdef0u, {1, 2, 3, 4, 5, 6, 7, 8}};

static int released;
static struct as *released_as;

static void on_release(struct as *as, void *arg)
{
    released++;
    released_as = as;
    cr_expect_eq(arg, &released, "the creator's argument comes back");
}

static IAddressSpace *object(struct as *as)
{
    released = 0;
    vmtest_as(as, "object");
    IAddressSpace *ias = as_object_create(as, on_release, &released);
    cr_assert_not_null(ias);
    return ias;
}

static IMemoryObject *memory_of(IAddressSpace *ias)
{
    IMemoryObject *m = NULL;
    cr_assert_eq(ias->lpVtbl->QueryInterface(ias, &IID_IMemoryObject, (void **)&m), S_OK);
    cr_assert_not_null(m);
    return m;
}

Test(vm_object, methods_reach_the_space)
{
    struct as as;
    IAddressSpace *ias = object(&as);
    cr_expect_eq(as_object_space(ias), &as);
    ADDRESS a = 0;
    cr_assert_eq(ias->lpVtbl->Allocate(ias, &a, 4 * P, AS_ANYWHERE | RW), S_OK);
    ADDR_REGION_INFO info;
    cr_assert_eq(ias->lpVtbl->Query(ias, a, &info), S_OK);
    cr_expect_eq(info.State, AS_STATE_COMMITTED);
    cr_expect_eq(info.Size, 4 * P);
    cr_expect_eq(as.committed_pages, 4, "the tree has what the interface did");
    cr_expect_eq(ias->lpVtbl->Protect(ias, a, P, AS_PROT_READ), S_OK);
    cr_expect_eq(ias->lpVtbl->Decommit(ias, a + P, P), S_OK);
    cr_expect_eq(as.committed_pages, 3);
    ADDR_SIZE g1 = 0, g2 = 0;
    cr_expect_eq(ias->lpVtbl->ReservationInformation(ias, &g1, &g2), S_OK);
    cr_expect_eq(g1, P);
    cr_expect_eq(g2, P);
    cr_expect_eq(ias->lpVtbl->ReservationInformation(ias, &g1, NULL), VM_E_NULL_POINTER);
    cr_expect_eq(ias->lpVtbl->Deallocate(ias, a, 4 * P), S_OK);
    cr_expect_eq(ias->lpVtbl->Commit(ias, a, P, RW), VM_E_NOT_RESERVED, "the space's own codes");
    ias->lpVtbl->Release(ias);
    as_destroy(&as);
}

Test(vm_object, query_interface_keeps_identity_and_counts)
{
    struct as as;
    IAddressSpace *ias = object(&as);
    IMemoryObject *m = memory_of(ias);
    IUnknown *u1 = NULL, *u2 = NULL;
    cr_assert_eq(ias->lpVtbl->QueryInterface(ias, &IID_IUnknown, (void **)&u1), S_OK);
    cr_assert_eq(m->lpVtbl->QueryInterface(m, &IID_IUnknown, (void **)&u2), S_OK);
    cr_expect_eq(u1, u2, "one object: IUnknown is its identity");
    IAddressSpace *back = NULL;
    cr_assert_eq(m->lpVtbl->QueryInterface(m, &IID_IAddressSpace, (void **)&back), S_OK);
    cr_expect_eq(back, ias);
    void *none = (void *)1;
    cr_expect_eq(ias->lpVtbl->QueryInterface(ias, &IID_unknown_here, &none), E_NOINTERFACE);
    cr_expect_null(none);
    cr_expect_eq(ias->lpVtbl->QueryInterface(ias, &IID_IUnknown, NULL), E_POINTER);
    /* five references now: the first, m, u1, u2, back */
    m->lpVtbl->Release(m);
    u1->lpVtbl->Release(u1);
    u2->lpVtbl->Release(u2);
    back->lpVtbl->Release(back);
    cr_expect_eq(released, 0, "one reference is left");
    ias->lpVtbl->Release(ias);
    cr_expect_eq(released, 1, "the last Release frees the object, once");
    cr_expect_eq(released_as, &as);
    as_destroy(&as);
}

/* Source space s with 4 committed pages, each holding its number. */
static ADDRESS fill_source(struct as *s, IAddressSpace *ias)
{
    ADDRESS a = 0;
    cr_assert_eq(ias->lpVtbl->Allocate(ias, &a, 4 * P, AS_ANYWHERE | RW), S_OK);
    for (unsigned i = 0; i < 4; i++)
        vm_write8(s, a + i * P, (uint8_t)(0x40 + i));
    return a;
}

Test(vm_object, map_through_a_view_sees_the_source)
{
    struct as src, dst;
    IAddressSpace *s = object(&src);
    IAddressSpace *d = object(&dst);
    ADDRESS a = fill_source(&src, s);
    IMemoryObject *whole = memory_of(s), *view = NULL, *inner = NULL;
    cr_assert_eq(whole->lpVtbl->RestrictedAccess(whole, a + P, 3 * P, AS_PROT_READ, &view), S_OK);
    cr_assert_eq(view->lpVtbl->RestrictedAccess(view, P, P, AS_PROT_READ, &inner), S_OK);
    ADDRESS b = 0;
    cr_assert_eq(d->lpVtbl->Map(d, &b, 2 * P, AS_ANYWHERE | AS_PROT_READ, view, P), S_OK);
    cr_expect_eq(vm_read8(&dst, b), 0x42, "view offset P is source page 2");
    cr_expect_eq(vm_read8(&dst, b + P), 0x43);
    ADDRESS c = 0;
    cr_assert_eq(d->lpVtbl->Map(d, &c, P, AS_ANYWHERE | AS_PROT_READ, inner, 0), S_OK);
    cr_expect_eq(vm_read8(&dst, c), 0x42, "a view of a view is relative to its parent");
    vm_write8(&src, a + 2 * P, 0x77);
    cr_expect_eq(vm_read8(&dst, b), 0x77, "the mapping follows the source");
    cr_expect_eq(vm_access(&dst, b, AS_PROT_WRITE).ok, false, "mapped read-only");
    inner->lpVtbl->Release(inner);
    view->lpVtbl->Release(view);
    whole->lpVtbl->Release(whole);
    d->lpVtbl->Release(d);
    s->lpVtbl->Release(s);
    as_destroy(&dst);
    as_destroy(&src);
}

Test(vm_object, views_refuse_more_range_or_access)
{
    struct as src;
    IAddressSpace *s = object(&src);
    ADDRESS a = fill_source(&src, s);
    IMemoryObject *whole = memory_of(s), *view = NULL, *out = (IMemoryObject *)1;
    cr_assert_eq(whole->lpVtbl->RestrictedAccess(whole, a, 2 * P, AS_PROT_READ, &view), S_OK);
    cr_expect_eq(view->lpVtbl->RestrictedAccess(view, 0, 2 * P, RW, &out), VM_E_ACCESS_DENIED);
    cr_expect_null(out, "nothing handed out on failure");
    cr_expect_eq(view->lpVtbl->RestrictedAccess(view, P, 2 * P, AS_PROT_READ, &out),
                 VM_E_OUT_OF_RANGE, "one page past the view");
    cr_expect_eq(view->lpVtbl->RestrictedAccess(view, 0, 3 * P, AS_PROT_READ, &out),
                 VM_E_OUT_OF_RANGE);
    cr_expect_eq(view->lpVtbl->RestrictedAccess(view, 1, P, AS_PROT_READ, &out),
                 VM_E_UNALIGNED_ADDRESS);
    cr_expect_eq(view->lpVtbl->RestrictedAccess(view, 0, P + 1, AS_PROT_READ, &out),
                 VM_E_UNALIGNED_SIZE);
    cr_expect_eq(view->lpVtbl->RestrictedAccess(view, 0, 0, AS_PROT_READ, &out), VM_E_ZERO_SIZE);
    cr_expect_eq(view->lpVtbl->RestrictedAccess(view, P, (ADDR_SIZE)0 - P, AS_PROT_READ, &out),
                 VM_E_WRAP);
    cr_expect_eq(view->lpVtbl->RestrictedAccess(view, 0, P, 0x100, &out), VM_E_BAD_FLAGS);
    cr_expect_eq(view->lpVtbl->RestrictedAccess(view, 0, P, AS_PROT_READ, NULL), E_POINTER);
    ADDRESS b = 0;
    cr_expect_eq(s->lpVtbl->Map(s, &b, P, AS_ANYWHERE | RW, view, 0), VM_E_ACCESS_DENIED,
                 "Map asks no more than the view allows");
    cr_expect_eq(s->lpVtbl->Map(s, &b, 3 * P, AS_ANYWHERE | AS_PROT_READ, view, 0),
                 VM_E_OUT_OF_RANGE);
    view->lpVtbl->Release(view);
    whole->lpVtbl->Release(whole);
    s->lpVtbl->Release(s);
    as_destroy(&src);
}

Test(vm_object, a_view_counts_its_own_references)
{
    struct as src;
    IAddressSpace *s = object(&src);
    ADDRESS a = fill_source(&src, s);
    IMemoryObject *whole = memory_of(s), *view = NULL, *again = NULL;
    cr_assert_eq(whole->lpVtbl->RestrictedAccess(whole, a, P, AS_PROT_READ, &view), S_OK);
    whole->lpVtbl->Release(whole);
    s->lpVtbl->Release(s);
    void *ias = (void *)1;
    cr_expect_eq(view->lpVtbl->QueryInterface(view, &IID_IAddressSpace, &ias), E_NOINTERFACE,
                 "a view is no address space");
    cr_expect_null(ias);
    cr_assert_eq(view->lpVtbl->QueryInterface(view, &IID_IMemoryObject, (void **)&again), S_OK);
    cr_expect_eq(again, view);
    view->lpVtbl->AddRef(view);
    view->lpVtbl->Release(view);
    again->lpVtbl->Release(again);
    cr_expect_eq(released, 0, "QueryInterface and AddRef each added a reference");
    view->lpVtbl->Release(view);
    cr_expect_eq(released, 1, "the last one freed the view and its hold on the space");
    as_destroy(&src);
}

/* An IMemoryObject someone else implemented. */
static SCODE foreign_qi(IMemoryObject *This, REFIID riid, void **ppv)
{
    (void)riid;
    *ppv = This;
    return S_OK;
}

static SCODE foreign_ref(IMemoryObject *This)
{
    (void)This;
    return S_OK;
}

static SCODE foreign_restrict(IMemoryObject *This, ADDR_SIZE o, ADDR_SIZE s, ADDR_FLAGS p,
                              IMemoryObject **out)
{
    (void)o, (void)s, (void)p;
    *out = This;
    return S_OK;
}

static const struct IMemoryObjectVtbl foreign_vtbl = {foreign_qi, foreign_ref, foreign_ref,
                                                      foreign_restrict};

Test(vm_object, map_refuses_foreign_memory_objects)
{
    struct as as;
    IAddressSpace *ias = object(&as);
    IMemoryObject foreign = {&foreign_vtbl};
    ADDRESS b = 0;
    cr_expect_eq(ias->lpVtbl->Map(ias, &b, P, AS_ANYWHERE | AS_PROT_READ, &foreign, 0),
                 VM_E_FOREIGN_OBJECT);
    cr_expect_eq(ias->lpVtbl->Map(ias, &b, P, AS_ANYWHERE | AS_PROT_READ, NULL, 0), E_POINTER);
    cr_expect_eq(as.nregions, 0, "nothing reserved");
    cr_expect_null(as_object_space((IAddressSpace *)(void *)&foreign));
    ias->lpVtbl->Release(ias);
    as_destroy(&as);
}

Test(vm_object, a_view_keeps_its_space_object_alive)
{
    struct as src, dst;
    IAddressSpace *s = object(&src);
    ADDRESS a = fill_source(&src, s);
    IMemoryObject *whole = memory_of(s), *view = NULL;
    cr_assert_eq(whole->lpVtbl->RestrictedAccess(whole, a, P, AS_PROT_READ, &view), S_OK);
    whole->lpVtbl->Release(whole);
    s->lpVtbl->Release(s);
    cr_expect_eq(released, 0, "the view still holds the object");
    IAddressSpace *d = as_object_create(&dst, NULL, NULL);
    vmtest_as(&dst, "dst");
    ADDRESS b = 0;
    cr_assert_eq(d->lpVtbl->Map(d, &b, P, AS_ANYWHERE | AS_PROT_READ, view, 0), S_OK);
    cr_expect_eq(vm_read8(&dst, b), 0x40);
    view->lpVtbl->Release(view);
    cr_expect_eq(released, 1, "the view's Release was the last");
    d->lpVtbl->Release(d);
    as_destroy(&src);
    cr_expect_eq(vm_access(&dst, b, AS_PROT_READ).ok, false, "its source is gone");
    as_destroy(&dst);
}
