/* The machine-independent VM in the guest, on both arches: a kernel-made
 * address space, driven through the same code the host tests use, with
 * its memory reached through the reference VTLB. The runner's leak check
 * then sees every page (contents, nodes, arrays) come back. */
#include <kernel/heap.h>
#include <kernel/kmem.h>
#include <kernel/ktest.h>
#include <kernel/vm.h>
#include <kernel/vtlb_soft.h>

#define PG PAGE_SIZE

static struct heap test_heap;

static uint8_t *byte_at(struct as *as, vaddr_t va, uint32_t access)
{
    paddr_t pa;
    enum vm_exception why;
    if (vtlb_soft_access(as, va, access, &pa, &why) != S_OK)
        return 0;
    return (uint8_t *)phys_to_virt(pa);
}

KTEST(vm_address_space_sequence)
{
    struct as as;
    heap_init(&test_heap, "vm test");
    as_init(&as, "guest", 0x10000, 0x40000000, &test_heap);
    vaddr_t a = 0x100000;
    KT_ASSERT_EQ(as_reserve(&as, &a, 64 * PG, 0), S_OK);
    KT_ASSERT_EQ(as_commit(&as, a, 16 * PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT_EQ(as_commit(&as, a + 16 * PG, 16 * PG,
                           AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO | AS_COMMIT_ALLOC_ZERO),
                 S_OK);
    for (int i = 0; i < 32; i++) {
        uint8_t *p = byte_at(&as, a + (vaddr_t)i * PG + 5, AS_PROT_WRITE);
        KT_ASSERT(p != 0);
        *p = (uint8_t)(i + 1);
    }
    for (int i = 0; i < 32; i++) {
        uint8_t *p = byte_at(&as, a + (vaddr_t)i * PG + 5, AS_PROT_READ);
        KT_ASSERT(p != 0 && *p == i + 1);
    }
    KT_ASSERT_EQ(as_protect(&as, a, 8 * PG, AS_PROT_READ), S_OK);
    KT_ASSERT(byte_at(&as, a + PG, AS_PROT_WRITE) == 0);
    KT_ASSERT(byte_at(&as, a + 40 * PG, AS_PROT_READ) == 0);

    ADDR_REGION_INFO info;
    KT_ASSERT_EQ(as_query(&as, a + 20 * PG, &info), S_OK);
    KT_ASSERT_EQ(info.State, AS_STATE_COMMITTED);
    KT_ASSERT_EQ(info.Base, a + 20 * PG);
    KT_ASSERT_EQ(info.Size, 12 * PG);
    KT_ASSERT_EQ(info.ReservationBase, a);

    /* a copy-on-write view in a second space */
    struct as view;
    as_init(&view, "view", 0x10000, 0x40000000, &test_heap);
    vaddr_t v = 0;
    KT_ASSERT_EQ(as_map_range(&view, &v, 16 * PG,
                              AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_MAP_COPY_ON_WRITE,
                              &as, a + 16 * PG),
                 S_OK);
    uint8_t *w = byte_at(&view, v + 3 * PG + 5, AS_PROT_WRITE);
    KT_ASSERT(w != 0 && *w == 20);
    *w = 99;
    KT_ASSERT_EQ(*byte_at(&as, a + 19 * PG + 5, AS_PROT_READ), 20);
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
    size_t pages = kernel_as_heap.pages, general = kernel_heap.pages;
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &a, 4 * PG, AS_ANYWHERE), S_OK);
    KT_ASSERT(a >= KERNEL_MAPPED_BASE && a < KERNEL_MAPPED_END);
    KT_ASSERT_EQ(as_commit(&kernel_as, a, 4 * PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT(kernel_as_heap.pages > pages);
    KT_ASSERT_EQ(kernel_heap.pages, general);
    uintptr_t node = (uintptr_t)kernel_as.root;
    KT_ASSERT(node >= UNMAPPED_BASE && node - UNMAPPED_BASE < UNMAPPED_SIZE);
    as_check(&kernel_as);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, 4 * PG), S_OK);
    KT_ASSERT_EQ(kernel_as_heap.pages, pages);
}
