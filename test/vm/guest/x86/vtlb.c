/* Guest tests of the x86 VTLB's page tables (issue 4): the pool's bound
 * holds while three spaces each touch several times more page tables
 * than it has; recycled tables fault back in with the same contents; a
 * present read-only entry stops a write at once; a kernel-space page is
 * reachable again after its table was recycled. Pages are touched one
 * per 4 MiB, so every page needs a page table of its own. */
#include <arch/paging.h>
#include <config.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/ktest.h>
#include <kernel/vm/trap.h>

#define PG       PAGE_SIZE
#define SPACES   3
#define MAX_REGS 480 /* 4 MiB regions per space: most of the 2 GiB user range */
#define RW       (AS_PROT_READ | AS_PROT_WRITE)

static struct heap heap;
static struct as spaces[SPACES];

/* Page k of a working set: one per page table, at a different slot in
 * each (so entries and tables are both exercised). */
static vaddr_t region_va(unsigned k)
{
    return (vaddr_t)(k + 1) * PT_SPAN + (k * 7 % 1024) * PG;
}

static uint32_t pattern(int s, unsigned k, unsigned word)
{
    return 0x3c000000u ^ ((uint32_t)s << 20) ^ (k * 2654435761u) ^ word;
}

static unsigned regions(void)
{
    struct vtlb_stats st;
    vtlb_get_stats(&st);
    return 3 * st.bound < MAX_REGS ? 3 * st.bound : MAX_REGS;
}

/* Three spaces with one committed page in each of n regions. */
static bool build(unsigned n)
{
    heap_init(&heap, "x86 vtlb test");
    for (int s = 0; s < SPACES; s++) {
        as_init(&spaces[s], "x86 ws", USER_BASE, USER_END, &heap);
        for (unsigned k = 0; k < n; k++) {
            vaddr_t va = region_va(k);
            if (as_allocate(&spaces[s], &va, PG, RW) != S_OK)
                return false;
        }
    }
    return true;
}

static void destroy(void)
{
    vm_activate(0);
    for (int s = 0; s < SPACES; s++)
        as_destroy(&spaces[s]);
}

static bool within_bound(void)
{
    struct vtlb_stats st;
    vtlb_get_stats(&st);
    return st.arch.pt_pages_in_use <= st.bound && st.mapping_bytes <= st.mapping_bytes_max &&
           st.mapping_bytes_max == (st.bound + 1) * PG;
}

/* Write (or check) the first and last word of page k of space s. A
 * check also reads where region k+1 has its page, which is free in
 * region k: a table reused without being cleared would still map it. */
static bool touch(int s, unsigned k, bool write)
{
    vm_activate(&spaces[s]);
    uint32_t *p = user_ptr(region_va(k)), v0, v1;
    if (write)
        return arch_probe_write32(p, pattern(s, k, 0)) &&
               arch_probe_write32(p + PG / 4 - 1, pattern(s, k, 1));
    uint32_t *hole = user_ptr(region_va(k + 1) - PT_SPAN);
    return arch_probe_read32(p, &v0) && v0 == pattern(s, k, 0) &&
           arch_probe_read32(p + PG / 4 - 1, &v1) && v1 == pattern(s, k, 1) &&
           !arch_probe_read32(hole, &v0) && vm_last_fault.reason == VMX_FREE;
}

/* Every page of every space, space by space (write) or interleaved. */
static bool sweep(unsigned n, bool write)
{
    for (unsigned k = 0; k < n; k++) {
        for (int s = 0; s < SPACES; s++) {
            if (!touch(s, write ? k : n - 1 - k, write) || !within_bound()) {
                ktest_fail(__FILE__, __LINE__, "space %d page %u (%s)", s, k,
                           within_bound() ? "contents, or the free page beside them" : "bound");
                return false;
            }
        }
    }
    return true;
}

KTEST(vtlb_x86_pool_bound_holds_and_tables_recycle)
{
    struct vtlb_stats before, after;
    unsigned n = regions();
    vtlb_get_stats(&before);
    KT_ASSERT(build(n));
    bool ok = sweep(n, true) && sweep(n, false) && sweep(n, false);
    vtlb_get_stats(&after);
    destroy();
    KT_ASSERT(ok);
    /* each of the 3n tables was made at least twice, the pool holds bound */
    KT_ASSERT(after.arch.pt_recycles - before.arch.pt_recycles >= 2 * SPACES * n - after.bound);
    KT_ASSERT_EQ(after.arch.pt_pages_in_use, after.bound);
    vtlb_get_stats(&after);
    KT_ASSERT(after.arch.pt_pages_in_use <=
              before.arch.pt_pages_in_use); /* tables, directories back */
    KT_ASSERT_EQ(heap.pages, 0);
}

/* A write to a page whose entry is present and read-only faults with the
 * present bit set; the fault path asks the tree, which says protection. */
KTEST(vtlb_x86_write_to_read_only_entry_fails)
{
    struct as *as = &spaces[0];
    heap_init(&heap, "x86 vtlb test");
    as_init(as, "x86 ro", USER_BASE, USER_END, &heap);
    vaddr_t va = 0x00800000;
    uint32_t v;
    KT_ASSERT_EQ(as_allocate(as, &va, PG, RW), S_OK);
    vm_activate(as);
    KT_ASSERT(arch_probe_write32(user_ptr(va), 0x1234));
    KT_ASSERT(x86_vtlb_pte(as, va) & PTE_W);
    KT_ASSERT_EQ(as_protect(as, va, PG, AS_PROT_READ), S_OK);
    KT_ASSERT(!(x86_vtlb_pte(as, va) & PTE_W));
    KT_ASSERT(arch_probe_read32(user_ptr(va), &v) && v == 0x1234);
    KT_ASSERT((x86_vtlb_pte(as, va) & (PTE_P | PTE_W | PTE_U)) == (PTE_P | PTE_U));
    KT_ASSERT(!arch_probe_write32(user_ptr(va), 0x5678));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_PROTECTION);
    KT_ASSERT_EQ(vm_last_fault.va, va);
    KT_ASSERT(arch_probe_read32(user_ptr(va), &v) && v == 0x1234);
    KT_ASSERT_EQ(as_protect(as, va, PG, RW), S_OK);
    KT_ASSERT(arch_probe_write32(user_ptr(va), 0x5678));
    KT_ASSERT(arch_probe_read32(user_ptr(va), &v) && v == 0x5678);
    vm_activate(0);
    as_destroy(as);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* Touch user regions round the spaces until the pool has taken the
 * kernel table that maps kva; false if it never did. */
static bool churn_until_gone(vaddr_t kva, unsigned n)
{
    struct vtlb_stats st;
    vtlb_get_stats(&st);
    for (unsigned i = 0; i < 8 * st.bound + 2 * n; i++) {
        if (!(x86_vtlb_pde(&kernel_as, kva) & PTE_P))
            return true;
        if (!touch((int)(i / n % SPACES), i % n, true))
            return false;
    }
    return false;
}

KTEST(vtlb_x86_kernel_page_survives_its_table)
{
    struct vtlb_stats before, after;
    vaddr_t kva = 0;
    unsigned n = regions();
    KT_ASSERT(build(n));
    KT_ASSERT_EQ(as_reserve(&kernel_as, &kva, PG, AS_ANYWHERE), S_OK);
    KT_ASSERT_EQ(as_commit(&kernel_as, kva, PG, RW), S_OK);
    volatile uint32_t *p = (volatile uint32_t *)kva;
    *p = 0xfeedf00d;
    KT_ASSERT(x86_vtlb_pde(&kernel_as, kva) & PTE_P);
    vtlb_get_stats(&before);
    bool gone = churn_until_gone(kva, n);
    uint32_t v = 0;
    bool read = arch_probe_read32(p, &v);
    vtlb_get_stats(&after);
    bool back = x86_vtlb_pde(&kernel_as, kva) & PTE_P;
    vm_activate(&spaces[1]); /* the table is in every directory again */
    bool shared = x86_vtlb_pde(&kernel_as, kva) ==
                  pt_page_map(spaces[1].vtlb.dir->pa)[PD_INDEX(kva + KERNEL_SEGMENT_BASE)];
    KT_ASSERT_EQ(as_deallocate(&kernel_as, kva, PG), S_OK);
    destroy();
    KT_ASSERT(gone);
    KT_ASSERT(read && v == 0xfeedf00d);
    KT_ASSERT(after.kernel_misses > before.kernel_misses);
    KT_ASSERT(back && shared);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* A table recycled while its space is active must leave no translation
 * behind in the processor: once it is gone, vtlb_remove finds nothing to
 * invalidate, so a stale writable entry would outlive a Protect. The
 * churn touches slot 0 of each region and the page under test is in slot
 * 5, so the processor has no reason of its own to drop its entry. */
KTEST(vtlb_x86_recycled_table_leaves_no_stale_translation)
{
    struct as *as = &spaces[0];
    unsigned n = regions();
    heap_init(&heap, "x86 vtlb test");
    as_init(as, "x86 stale", USER_BASE, USER_END, &heap);
    vaddr_t a = PT_SPAN + 5 * PG;
    KT_ASSERT_EQ(as_allocate(as, &a, PG, RW), S_OK);
    for (unsigned k = 1; k < n; k++) {
        vaddr_t va = (k + 1) * PT_SPAN;
        KT_ASSERT_EQ(as_allocate(as, &va, PG, RW), S_OK);
    }
    vm_activate(as);
    KT_ASSERT(arch_probe_write32(user_ptr(a), 1));
    bool gone = false;
    for (unsigned i = 0; i < 4 * n && !gone; i++) {
        KT_ASSERT(arch_probe_write32(user_ptr((i % (n - 1) + 2) * PT_SPAN), i));
        gone = !(x86_vtlb_pde(as, a) & PTE_P);
    }
    KT_ASSERT_EQ(as_protect(as, a, PG, AS_PROT_READ), S_OK);
    bool wrote = arch_probe_write32(user_ptr(a), 2);
    uint32_t v = 0;
    KT_ASSERT(arch_probe_read32(user_ptr(a), &v));
    vm_activate(0);
    as_destroy(as);
    KT_ASSERT(gone);
    KT_ASSERT(!wrote && v == 1);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* More spaces than the pool has pages: directories are recycled too (a
 * space that is not active loses its directory and its tables with it),
 * and the bound still holds; every space still reads what it wrote. */
static bool many_spaces_round(struct as **as, unsigned n, bool write)
{
    for (unsigned i = 0; i < n; i++) {
        vm_activate(as[i]);
        for (unsigned r = 1; r <= 2; r++) {
            uint32_t *p = user_ptr(r * 64 * PT_SPAN + i * PG), v;
            bool ok = write ? arch_probe_write32(p, pattern((int)i, r, 2))
                            : arch_probe_read32(p, &v) && v == pattern((int)i, r, 2);
            if (!ok || !within_bound())
                return false;
        }
    }
    return true;
}

KTEST(vtlb_x86_directories_are_recycled)
{
    struct vtlb_stats st;
    vtlb_get_stats(&st);
    unsigned n = st.bound + 8;
    static struct as *as[CONFIG_VTLB_PAGES + 8];
    heap_init(&heap, "x86 vtlb test");
    for (unsigned i = 0; i < n; i++) {
        as[i] = heap_alloc(&heap, sizeof *as[i]);
        KT_ASSERT(as[i]);
        as_init(as[i], "x86 many", USER_BASE, USER_END, &heap);
        for (unsigned r = 1; r <= 2; r++) {
            vaddr_t va = r * 64 * PT_SPAN + i * PG;
            KT_ASSERT_EQ(as_allocate(as[i], &va, PG, RW), S_OK);
        }
    }
    bool ok = many_spaces_round(as, n, true);
    bool dir_taken = !as[0]->vtlb.dir;
    ok = ok && many_spaces_round(as, n, false) && many_spaces_round(as, n, false);
    vm_activate(0);
    for (unsigned i = 0; i < n; i++) {
        as_destroy(as[i]);
        heap_free(&heap, as[i]);
    }
    KT_ASSERT(ok);
    KT_ASSERT(dir_taken);
    KT_ASSERT_EQ(heap.pages, 0);
}
