/* The VTLB in the guest, on both arches (issue 4): several spaces whose
 * working sets are several times what the VTLB can hold, reached through
 * the MMU; the bound on mapping memory; flushes and removes at random
 * points; protection changes at once; copy-on-write and auto-commit. */
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/ktest.h>
#include <kernel/vm/vm.h>
#include <kernel/vm/trap.h>

#define PG     PAGE_SIZE
#define SPACES 3
#define STRIDE (4u * 1024 * 1024 + 2 * PG) /* a new page table and page pair each */
#define NPAGES 480                         /* per space: ~1.9 GiB of user range */

static struct heap heap;
static struct as spaces[SPACES];

static uint32_t pattern(int space, uint32_t page)
{
    return 0x5a000000u ^ ((uint32_t)space << 20) ^ (page * 2654435761u);
}

static vaddr_t page_va(uint32_t i)
{
    return USER_BASE + i * STRIDE;
}

/* A small deterministic generator: the same run every boot. */
static uint32_t rng = 12345;
static uint32_t next_random(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static bool build_spaces(void)
{
    heap_init(&heap, "vtlb test");
    for (int s = 0; s < SPACES; s++) {
        as_init(&spaces[s], "ws", USER_BASE, USER_END, &heap);
        for (uint32_t i = 0; i < NPAGES; i++) {
            vaddr_t va = page_va(i);
            if (as_allocate(&spaces[s], &va, PG, AS_PROT_READ | AS_PROT_WRITE) != S_OK)
                return false;
        }
    }
    return true;
}

static void destroy_spaces(void)
{
    for (int s = 0; s < SPACES; s++)
        as_destroy(&spaces[s]);
}

/* Check every page of every space; with `shake`, flush or remove at random
 * points along the way (which must never change what is read). */
static bool check_all(bool shake)
{
    uint32_t v;
    for (uint32_t i = 0; i < NPAGES; i++) {
        for (int s = 0; s < SPACES; s++) {
            if (shake && next_random() % 64 == 0)
                vtlb_flush(&spaces[next_random() % SPACES]);
            if (shake && next_random() % 16 == 0)
                vtlb_remove(&spaces[s], page_va(next_random() % NPAGES), PG);
            if (!vm_peek32(&spaces[s], page_va(i) + 4 * (i % 1000), &v) || v != pattern(s, i)) {
                ktest_fail(__FILE__, __LINE__, "space %d page %u: read %#x, want %#x", s, i, v,
                           pattern(s, i));
                return false;
            }
        }
    }
    return true;
}

KTEST(vtlb_working_sets_larger_than_the_vtlb)
{
    struct vtlb_stats before, after;
    vtlb_get_stats(&before);
    KT_ASSERT(build_spaces());
    for (uint32_t i = 0; i < NPAGES; i++) {
        for (int s = 0; s < SPACES; s++)
            KT_ASSERT(vm_poke32(&spaces[s], page_va(i) + 4 * (i % 1000), pattern(s, i)));
    }
    bool ok = check_all(false) && check_all(true);
    vtlb_get_stats(&after);
    destroy_spaces();
    KT_ASSERT(ok);
    KT_ASSERT(after.mapping_bytes <= after.mapping_bytes_max);
    KT_ASSERT(after.user_misses - before.user_misses > 3 * SPACES * NPAGES / 2);
    KT_ASSERT_EQ(heap.pages, 0);
}

KTEST(vtlb_protection_changes_take_effect_at_once)
{
    struct as as;
    heap_init(&heap, "vtlb test");
    as_init(&as, "p", USER_BASE, USER_END, &heap);
    vaddr_t a = 0;
    uint32_t v;
    KT_ASSERT_EQ(as_allocate(&as, &a, 4 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT(vm_poke32(&as, a + PG, 7));
    KT_ASSERT_EQ(as_protect(&as, a, 4 * PG, AS_PROT_READ), S_OK);
    KT_ASSERT(!vm_poke32(&as, a + PG, 8));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_PROTECTION);
    KT_ASSERT_EQ(vm_last_fault.va, a + PG);
    KT_ASSERT(vm_peek32(&as, a + PG, &v) && v == 7);
    KT_ASSERT_EQ(as_protect(&as, a, 4 * PG, AS_PROT_NONE), S_OK);
    KT_ASSERT(!vm_peek32(&as, a + PG, &v));
    KT_ASSERT_EQ(as_protect(&as, a, 4 * PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT(vm_poke32(&as, a + PG, 9));
    KT_ASSERT_EQ(as_decommit(&as, a, PG * 2), S_OK);
    KT_ASSERT(!vm_peek32(&as, a + PG, &v));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_RESERVED);
    as_destroy(&as);
}

KTEST(vtlb_copy_on_write_diverges_for_the_writer_only)
{
    struct as a, b;
    heap_init(&heap, "vtlb test");
    as_init(&a, "source", USER_BASE, USER_END, &heap);
    as_init(&b, "mapper", USER_BASE, USER_END, &heap);
    vaddr_t va = 0, vb = 0;
    uint32_t v;
    KT_ASSERT_EQ(as_allocate(&a, &va, 4 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    for (uint32_t i = 0; i < 4; i++)
        KT_ASSERT(vm_poke32(&a, va + i * PG, 100 + i));
    KT_ASSERT_EQ(as_map_range(&b, &vb, 4 * PG,
                              AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_MAP_COPY_ON_WRITE, &a,
                              va),
                 S_OK);
    KT_ASSERT(vm_peek32(&b, vb + PG, &v) && v == 101);
    KT_ASSERT(vm_poke32(&a, va + PG, 201)); /* the source's write shows through */
    KT_ASSERT(vm_peek32(&b, vb + PG, &v) && v == 201);
    KT_ASSERT(vm_poke32(&b, vb + PG, 301)); /* the mapper's write is private */
    KT_ASSERT(vm_peek32(&b, vb + PG, &v) && v == 301);
    KT_ASSERT(vm_peek32(&a, va + PG, &v) && v == 201);
    KT_ASSERT(vm_poke32(&a, va + PG, 401)); /* and hides the source from then on */
    KT_ASSERT(vm_peek32(&b, vb + PG, &v) && v == 301);
    KT_ASSERT(vm_peek32(&b, vb + 2 * PG, &v) && v == 102);
    as_destroy(&b);
    as_destroy(&a);
}

KTEST(vtlb_autocommit_pages_appear_on_first_touch)
{
    struct as as;
    heap_init(&heap, "vtlb test");
    as_init(&as, "stack", USER_BASE, USER_END, &heap);
    vaddr_t a = 0;
    uint32_t v;
    KT_ASSERT_EQ(as_allocate(&as, &a, 64 * PG,
                             AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO |
                                 AS_COMMIT_ALLOC_ZERO),
                 S_OK);
    KT_ASSERT_EQ(as.resident_pages, 0);
    KT_ASSERT(vm_peek32(&as, a + 63 * PG, &v) && v == 0);
    KT_ASSERT(vm_poke32(&as, a + 10 * PG + 8, 55));
    KT_ASSERT_EQ(as.resident_pages, 2);
    KT_ASSERT(vm_peek32(&as, a + 10 * PG + 8, &v) && v == 55);
    as_destroy(&as);
}

/* A kernel-space commit is reachable at its own address from any space. */
KTEST(vtlb_kernel_space_is_shared_by_all_spaces)
{
    heap_init(&heap, "vtlb test");
    struct as as;
    as_init(&as, "p", USER_BASE, USER_END, &heap);
    vaddr_t k = 0;
    KT_ASSERT_EQ(as_allocate(&kernel_as, &k, 2 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE),
                 S_OK);
    uint32_t v;
    KT_ASSERT(arch_probe_write32((volatile uint32_t *)k, 77));
    vm_activate(&as);
    KT_ASSERT(arch_probe_read32((volatile uint32_t *)k, &v) && v == 77);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, k, 2 * PG), S_OK);
    KT_ASSERT(!arch_probe_read32((volatile uint32_t *)k, &v));
    KT_ASSERT_EQ(vm_last_fault.as, &kernel_as);
    as_destroy(&as);
}
