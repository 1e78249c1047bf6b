/* Guest tests of the x86 VTLB's short sections (issue 14: the longest
 * non-preemptible section under 5,000 instructions at every pool size):
 * a remove and a flush go in batches of their own sections, and still
 * leave nothing behind; a lost directory's tables wait as orphans, and freeing one
 * leaves the space's new directory alone. */
#include <arch/paging.h>
#include <kernel/ktest.h>
#include <kernel/sched/np.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/trap.h>

#define PG       PAGE_SIZE
#define RW       (AS_PROT_READ | AS_PROT_WRITE)
#define BATCHED  40 /* tables flushed: more than one batch */
#define SHORT_NP 2000

static struct heap heap;
static struct as space;

static void begin(void)
{
    heap_init(&heap, "x86 vtlb sections");
    as_init(&space, "x86 sections", USER_BASE, USER_END, &heap);
}

static void end(void)
{
    vm_activate(0);
    as_destroy(&space);
}

static unsigned present_entries(vaddr_t table_va)
{
    unsigned n = 0;
    for (vaddr_t v = table_va; v < table_va + PT_SPAN; v += PG)
        n += x86_vtlb_pte(&space, v) & PTE_P;
    return n;
}

static struct np_stats vtlb_sections(void)
{
    struct np_stats s;
    np_get_stats(NP_VTLB, &s);
    return s;
}

/* A Decommit of a 4 MiB run whose every entry is present removes all of
 * it in short sections. */
KTEST(vtlb_x86_remove_of_a_full_table_is_batched)
{
    begin();
    vaddr_t va = PT_SPAN;
    KT_ASSERT_EQ(as_allocate(&space, &va, PT_SPAN, RW), S_OK);
    vm_activate(&space);
    for (vaddr_t v = va; v < va + PT_SPAN; v += PG)
        if (!(x86_vtlb_pte(&space, v) & PTE_P))
            KT_ASSERT(arch_probe_write32(user_ptr(v), 1));
    unsigned full = present_entries(va);
    np_reset_stats();
    KT_ASSERT_EQ(as_decommit(&space, va, PT_SPAN), S_OK);
    struct np_stats s = vtlb_sections();
    unsigned left = present_entries(va);
    bool forgotten = true; /* by the processor too: invlpg or a CR3 reload */
    for (unsigned k = 0; k < PT_SPAN / PG; k += 37) {
        uint32_t v;
        forgotten &= !arch_probe_read32(user_ptr(va + k * PG), &v);
    }
    end();
    KT_ASSERT_EQ(full, PT_SPAN / PG);
    KT_ASSERT_EQ(left, 0);
    KT_ASSERT(forgotten);
    KT_ASSERT(s.count >= 8);
    if (s.max >= SHORT_NP)
        ktest_fail(__FILE__, __LINE__, "a remove section of %llu instructions",
                   (unsigned long long)s.max);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* A flush of more tables than a batch drops every one, in several short
 * sections. */
KTEST(vtlb_x86_flush_drops_every_table_in_short_sections)
{
    struct vtlb_stats st;
    vtlb_get_stats(&st);
    unsigned n = st.bound - 4 < BATCHED ? st.bound - 4 : BATCHED;
    begin();
    vm_activate(&space);
    for (unsigned k = 1; k <= n; k++) {
        vaddr_t va = k * PT_SPAN;
        KT_ASSERT_EQ(as_allocate(&space, &va, PG, RW), S_OK);
        KT_ASSERT(arch_probe_write32(user_ptr(va), k));
    }
    unsigned before = ptpool_tables(&space);
    np_reset_stats();
    vtlb_flush(&space);
    struct np_stats s = vtlb_sections();
    unsigned after = ptpool_tables(&space);
    uint32_t v = 0;
    bool back = arch_probe_read32(user_ptr(n * PT_SPAN), &v) && v == n;
    end();
    KT_ASSERT_EQ(before, n);
    KT_ASSERT_EQ(after, 0);
    KT_ASSERT(back);
    KT_ASSERT(s.count >= n / 16); /* vtlb.c's FLUSH_BATCH */
    if (s.max >= SHORT_NP)
        ktest_fail(__FILE__, __LINE__, "a flush section of %llu instructions",
                   (unsigned long long)s.max);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* A space that loses its directory keeps its tables as orphans: they
 * are freed later, and freeing one must not touch the slot its
 * successor fills in the space's new directory. */
KTEST(vtlb_x86_lost_directory_leaves_orphans_that_free_cleanly)
{
    begin();
    vaddr_t a = PT_SPAN, b = 2 * PT_SPAN;
    KT_ASSERT_EQ(as_allocate(&space, &a, PG, RW), S_OK);
    KT_ASSERT_EQ(as_allocate(&space, &b, PG, RW), S_OK);
    vm_activate(&space);
    KT_ASSERT(arch_probe_write32(user_ptr(a), 1) && arch_probe_write32(user_ptr(b), 2));
    vm_activate(0);
    unsigned long irq = arch_irq_save(); /* the pool's callers keep interrupts off */
    unsigned in_use = ptpool_in_use();
    ptpool_drop(space.vtlb.dir);
    bool kept = ptpool_tables(&space) == 2 && ptpool_in_use() == in_use - 1;
    arch_irq_restore(irq);
    vm_activate(&space);
    uint32_t v = 0;
    bool read = arch_probe_read32(user_ptr(a), &v) && v == 1; /* a new table for a's slot */
    irq = arch_irq_save();
    unsigned freed = ptpool_drop_tables(&space, 2); /* the oldest: the orphans */
    arch_irq_restore(irq);
    bool slot = x86_vtlb_pde(&space, a) & PTE_P;
    bool still = ptpool_tables(&space) == 1 && arch_probe_read32(user_ptr(b), &v) && v == 2;
    end();
    KT_ASSERT(kept);
    KT_ASSERT(read);
    KT_ASSERT_EQ(freed, 2);
    KT_ASSERT(slot);
    KT_ASSERT(still);
    KT_ASSERT_EQ(heap.pages, 0);
}
