/* The machine-independent VM in the guest, on both arches: a kernel-made
 * address space, driven through the same code the host tests use, its
 * memory reached through the arch's VTLB and MMU (the space is made
 * current and touched at its user addresses). The runner's leak check
 * then sees every page (contents, nodes, arrays) come back. */
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/ktest.h>
#include <kernel/vm/vm.h>
#include <kernel/vm/trap.h>

#define PG PAGE_SIZE

static struct heap test_heap;

KTEST(vm_address_space_sequence)
{
    struct as as;
    heap_init(&test_heap, "vm test");
    as_init(&as, "guest", USER_BASE, USER_END, &test_heap);
    vaddr_t a = 0x100000;
    KT_ASSERT_EQ(as_reserve(&as, &a, 64 * PG, 0), S_OK);
    KT_ASSERT_EQ(as_commit(&as, a, 16 * PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT_EQ(as_commit(&as, a + 16 * PG, 16 * PG,
                           AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO | AS_COMMIT_ALLOC_ZERO),
                 S_OK);
    uint32_t v;
    for (uint32_t i = 0; i < 32; i++)
        KT_ASSERT(vm_poke32(&as, a + i * PG + 4, i + 1));
    for (uint32_t i = 0; i < 32; i++)
        KT_ASSERT(vm_peek32(&as, a + i * PG + 4, &v) && v == i + 1);
    KT_ASSERT(vm_peek32(&as, a + 17 * PG + 8, &v) && v == 0); /* alloc-zero */
    KT_ASSERT_EQ(as_protect(&as, a, 8 * PG, AS_PROT_READ), S_OK);
    KT_ASSERT(!vm_poke32(&as, a + PG, 1));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_PROTECTION);
    KT_ASSERT(!vm_peek32(&as, a + 40 * PG, &v));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_RESERVED);

    ADDR_REGION_INFO info;
    KT_ASSERT_EQ(as_query(&as, a + 20 * PG, &info), S_OK);
    KT_ASSERT_EQ(info.State, AS_STATE_COMMITTED);
    KT_ASSERT_EQ(info.Base, a + 20 * PG);
    KT_ASSERT_EQ(info.Size, 12 * PG);
    KT_ASSERT_EQ(info.ReservationBase, a);

    /* a copy-on-write view in a second space */
    struct as view;
    as_init(&view, "view", USER_BASE, USER_END, &test_heap);
    vaddr_t vv = 0;
    KT_ASSERT_EQ(as_map_range(&view, &vv, 16 * PG,
                              AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_MAP_COPY_ON_WRITE,
                              &as, a + 16 * PG),
                 S_OK);
    KT_ASSERT(vm_peek32(&view, vv + 3 * PG + 4, &v) && v == 20);
    KT_ASSERT(vm_poke32(&view, vv + 3 * PG + 4, 99));
    KT_ASSERT(vm_peek32(&as, a + 19 * PG + 4, &v) && v == 20);
    as_check(&as);
    as_check(&view);
    as_destroy(&view);

    KT_ASSERT_EQ(as_deallocate(&as, a, 64 * PG), S_OK);
    as_check(&as);
    KT_ASSERT_EQ(as.nregions, 0);
    as_destroy(&as);
    KT_ASSERT_EQ(test_heap.pages, 0);
}

/* The kernel's own space keeps its nodes in their own heap, in unmapped
 * memory (a kernel VTLB miss reads them and must not miss again). */
KTEST(vm_kernel_space_nodes_are_unmapped)
{
    uint64_t allocs = kernel_as_heap.allocs, general = kernel_heap.allocs;
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &a, 4 * PG, AS_ANYWHERE), S_OK);
    KT_ASSERT(a >= KERNEL_MAPPED_BASE && a < KERNEL_MAPPED_END);
    KT_ASSERT_EQ(as_commit(&kernel_as, a, 4 * PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT(kernel_as_heap.allocs > allocs); /* its nodes came from there */
    KT_ASSERT_EQ(kernel_heap.allocs, general);
    uintptr_t node = (uintptr_t)kernel_as.root;
    KT_ASSERT(node >= UNMAPPED_BASE && node - UNMAPPED_BASE < UNMAPPED_SIZE);
    as_check(&kernel_as);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, 4 * PG), S_OK);
}

/* A page committed dealloc-no-erase goes to the next plain commit exactly
 * as its owner left it, every word of it: the page allocator keeps its
 * no-erase stack outside the pages, so not even the first word carries a
 * link (a kernel physical address) to the next owner. The plain commit
 * takes the page back because the no-erase stack is last-in first-out
 * and plain commits prefer it. */
KTEST(vm_noerase_page_is_handed_over_whole)
{
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &a, PG, AS_ANYWHERE), S_OK);
    KT_ASSERT_EQ(
        as_commit(&kernel_as, a, PG, AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_DEALLOC_NO_ERASE),
        S_OK);
    volatile uint32_t *w = (volatile uint32_t *)a;
    for (uint32_t i = 0; i < PG / 4; i++)
        w[i] = 0xc0de0000u + i;
    KT_ASSERT_EQ(as_decommit(&kernel_as, a, PG), S_OK);
    KT_ASSERT_EQ(as_commit(&kernel_as, a, PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    uint32_t changed = 0;
    while (changed < PG / 4 && w[changed] == 0xc0de0000u + changed)
        changed++;
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, PG), S_OK);
    KT_ASSERT_EQ(changed, PG / 4); /* the first word that is not the old owner's */
}
