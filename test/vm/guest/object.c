/* Address-space objects in the guest, on both arches: two kernel-made
 * spaces driven only through their IAddressSpace vtbls, one mapping a
 * read-only view of the other (IMemoryObject::RestrictedAccess), the data
 * read through the arch's MMU. The runner's leak check then sees every
 * object, node and page come back. */
#include <kernel/ktest.h>
#include <kernel/vm/object.h>
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
