/* Address-space objects in the guest, on both arches: two kernel-made
 * spaces driven only through their IAddressSpace vtbls, one mapping a
 * read-only view of the other (IMemoryObject::RestrictedAccess), the data
 * read through the arch's MMU. The runner's leak check then sees every
 * object, node and page come back. */
#include <kernel/ktest.h>
#include <kernel/vm/object.h>
#include <kernel/vm/scratch.h>
#include <kernel/vm/trap.h>

#define PG PAGE_SIZE

static struct heap object_test_heap;
static int spaces_released;

static void destroy_space(struct as *as, void *arg)
{
    (void)arg;
    as_destroy(as);
    spaces_released++;
}

KTEST(vm_objects_map_a_view_between_spaces)
{
    struct as a, b;
    heap_init(&object_test_heap, "object test");
    as_init(&a, "source", USER_BASE, USER_END, &object_test_heap);
    as_init(&b, "mapper", USER_BASE, USER_END, &object_test_heap);
    spaces_released = 0;
    IAddressSpace *sa = as_object_create(&a, destroy_space, 0);
    IAddressSpace *sb = as_object_create(&b, destroy_space, 0);
    KT_ASSERT(sa && sb);

    ADDRESS va = 0;
    KT_ASSERT_EQ(sa->lpVtbl->Allocate(sa, &va, 8 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE),
                 S_OK);
    for (uint32_t i = 0; i < 8; i++)
        KT_ASSERT(vm_poke32(&a, va + i * PG, 0x1000 + i));
    IMemoryObject *whole = 0, *view = 0;
    KT_ASSERT_EQ(sa->lpVtbl->QueryInterface(sa, &IID_IMemoryObject, (void **)&whole), S_OK);
    KT_ASSERT_EQ(whole->lpVtbl->RestrictedAccess(whole, va + 2 * PG, 4 * PG, AS_PROT_READ, &view),
                 S_OK);
    ADDRESS vb = 0;
    KT_ASSERT_EQ(
        sb->lpVtbl->Map(sb, &vb, 4 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE, view, 0),
        VM_E_ACCESS_DENIED);
    KT_ASSERT_EQ(sb->lpVtbl->Map(sb, &vb, 4 * PG, AS_ANYWHERE | AS_PROT_READ, view, 0), S_OK);
    uint32_t v;
    for (uint32_t i = 0; i < 4; i++)
        KT_ASSERT(vm_peek32(&b, vb + i * PG, &v) && v == 0x1002 + i);
    KT_ASSERT(!vm_poke32(&b, vb, 1));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_PROTECTION);
    KT_ASSERT(vm_poke32(&a, va + 3 * PG, 77));
    KT_ASSERT(vm_peek32(&b, vb + PG, &v) && v == 77); /* the mapping follows its source */

    view->lpVtbl->Release(view);
    whole->lpVtbl->Release(whole);
    sb->lpVtbl->Release(sb);
    KT_ASSERT_EQ(spaces_released, 1);
    sa->lpVtbl->Release(sa);
    KT_ASSERT_EQ(spaces_released, 2);
    KT_ASSERT_EQ(object_test_heap.pages, 0);
}

/* A no-exception mapping read by the kernel (paper 2.2: a server that maps
 * a client's buffer): once the source is gone the probe reads the scratch
 * page, with no exception, where a plain mapping's probe fails; when the
 * source commits again the mapping shows it at once, not the scratch page
 * it cached. */
KTEST(vm_no_exception_mapping_read_by_the_kernel)
{
    struct as a, b;
    heap_init(&object_test_heap, "object test");
    as_init(&a, "client", USER_BASE, USER_END, &object_test_heap);
    as_init(&b, "server", USER_BASE, USER_END, &object_test_heap);
    vaddr_t va = 0, nox = 0, plain = 0;
    KT_ASSERT_EQ(as_allocate(&a, &va, PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT(vm_poke32(&a, va, 0x1234));
    KT_ASSERT_EQ(as_map_range(&b, &nox, PG,
                              AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_MAP_NO_EXCEPTION, &a,
                              va),
                 S_OK);
    KT_ASSERT_EQ(as_map_range(&b, &plain, PG, AS_ANYWHERE | AS_PROT_READ, &a, va), S_OK);
    uint32_t v = 0;
    KT_ASSERT(vm_peek32(&b, nox, &v) && v == 0x1234);
    KT_ASSERT_EQ(as_decommit(&a, va, PG), S_OK);
    KT_ASSERT(!vm_peek32(&b, plain, &v));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_SOURCE_INVALID);
    v = 1;
    KT_ASSERT(vm_peek32(&b, nox, &v) && v == 0); /* the scratch page */
    KT_ASSERT_EQ(as_commit(&a, va, PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT(vm_poke32(&a, va, 0x5678));
    KT_ASSERT(vm_peek32(&b, nox, &v) && v == 0x5678);
    vm_scratch_clear(); /* as a switch would, before b goes */
    as_destroy(&b);
    as_destroy(&a);
    KT_ASSERT_EQ(object_test_heap.pages, 0);
}

/* n pages of b mapping freed pages of a without exceptions: every access
 * is a scratch page mapping. */
static vaddr_t scratch_window(struct as *a, struct as *b, size_t n)
{
    vaddr_t va = 0, vb = 0;
    if (as_reserve(a, &va, n * PG, AS_ANYWHERE) != S_OK ||
        as_map_range(b, &vb, n * PG,
                     AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_MAP_NO_EXCEPTION, a,
                     va) != S_OK)
        return 0;
    return vb;
}

/* More scratch mappings in one turn than the page keeps a record of, in
 * two spaces: the first space's unrecorded ones must not outlive the
 * clear (else a later write there would reach the scratch page unseen,
 * and the next user of the page would read it). */
KTEST(vm_scratch_overflow_in_two_spaces)
{
    struct as a, b, c;
    heap_init(&object_test_heap, "object test");
    as_init(&a, "source", USER_BASE, USER_END, &object_test_heap);
    as_init(&b, "first", USER_BASE, USER_END, &object_test_heap);
    as_init(&c, "second", USER_BASE, USER_END, &object_test_heap);
    vaddr_t vb = scratch_window(&a, &b, 12), vc = scratch_window(&a, &c, 12);
    KT_ASSERT(vb && vc);
    vm_scratch_clear();
    for (size_t k = 0; k < 12; k++)
        KT_ASSERT(vm_poke32(&b, vb + k * PG, 1));
    for (size_t k = 0; k < 12; k++)
        KT_ASSERT(vm_poke32(&c, vc + k * PG, 2));
    vm_scratch_clear();
    KT_ASSERT(vm_poke32(&b, vb + 11 * PG, 0xbad)); /* must map the scratch page afresh */
    vm_scratch_clear();
    uint32_t v = 1;
    KT_ASSERT(vm_peek32(&c, vc, &v));
    KT_ASSERT_EQ(v, 0);
    vm_scratch_clear();
    as_destroy(&c);
    as_destroy(&b);
    as_destroy(&a);
    KT_ASSERT_EQ(object_test_heap.pages, 0);
}
