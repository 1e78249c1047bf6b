/* MIPS VTLB flush and ASID upkeep (issue 14: short sections at every
 * bound): a flushed space moves to a fresh ASID pair at once, and its old
 * pair's entries are cleared in short sections before anyone may take
 * that pair: a space that later gets it reads its own page, never the
 * old owner's. With more spaces than pairs, the fault helper takes pairs
 * back ahead of need (vtlb_tidy), so a switch never sweeps. */
#include <arch/mips.h>
#include <kernel/ktest.h>
#include <kernel/sched/np.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/trap.h>
#include <kernel/vm/vm.h>

#define PG       PAGE_SIZE
#define RW       (AS_PROT_READ | AS_PROT_WRITE)
#define SHORT_NP 2000
#define A_VALUE  0xaaaa0001u
#define B_VALUE  0xbbbb0002u

static struct heap heap;
static struct as a, b;

static bool space_with(struct as *as, vaddr_t va, uint32_t value)
{
    as_init(as, "flush", USER_BASE, USER_END, &heap);
    vm_activate(as);
    return as_allocate(as, &va, PG, RW) == S_OK && arch_probe_write32(user_ptr(va), value);
}

/* Flush b, the active space, until it is given pair `asid`; false if it
 * never is (the pair was never handed out again). */
static bool move_b_to(uint8_t asid)
{
    for (int i = 0; i < 600 && b.vtlb.asid != asid; i++)
        vtlb_flush(&b);
    return b.vtlb.asid == asid;
}

KTEST(vtlb_mips_flush_clears_the_old_pair_before_reuse)
{
    vaddr_t va = USER_BASE + 0x200000;
    heap_init(&heap, "mips flush");
    KT_ASSERT(space_with(&b, va, B_VALUE));
    KT_ASSERT(space_with(&a, va, A_VALUE)); /* a is active, its entry cached */
    uint8_t old = a.vtlb.asid;
    np_reset_stats();
    vtlb_flush(&a);
    struct np_stats s;
    np_get_stats(NP_VTLB, &s);
    uint8_t now = a.vtlb.asid;
    vm_activate(&b);
    bool moved = move_b_to(old);
    mips_tlb_clear_hw(); /* so the read below refills from the software TLB */
    uint32_t v = 0;
    bool read = arch_probe_read32(user_ptr(va), &v);
    vm_activate(0);
    as_destroy(&a);
    as_destroy(&b);
    KT_ASSERT(now != 0 && now != old);
    KT_ASSERT(s.count >= 4);
    if (s.max >= SHORT_NP)
        ktest_fail(__FILE__, __LINE__, "a flush section of %llu instructions",
                   (unsigned long long)s.max);
    KT_ASSERT(moved);
    KT_ASSERT(read);
    KT_ASSERT_EQ(v, B_VALUE);
    KT_ASSERT_EQ(heap.pages, 0);
}

#define NSPACES 200 /* more than the 127 pairs */

static struct as many[NSPACES];

KTEST(vtlb_mips_switches_never_sweep_for_a_pair)
{
    struct vtlb_stats before, after;
    vtlb_get_stats(&before);
    heap_init(&heap, "mips tidy");
    vaddr_t va = USER_BASE + 0x300000;
    uint64_t longest = 0;
    bool wrote = true, read = true;
    for (uint32_t s = 0; s < NSPACES; s++) {
        vaddr_t at = va;
        as_init(&many[s], "tidy", USER_BASE, USER_END, &heap);
        KT_ASSERT_EQ(as_allocate(&many[s], &at, PG, RW), S_OK);
        uint64_t t0 = arch_cycles();
        vm_activate(&many[s]);
        uint64_t took = arch_cycles() - t0;
        longest = took > longest ? took : longest;
        wrote &= arch_probe_write32(user_ptr(va), 0x7000 + s);
    }
    for (uint32_t s = 0; s < NSPACES; s++) { /* each still reads its own */
        uint32_t v = 0;
        vm_activate(&many[s]);
        read &= arch_probe_read32(user_ptr(va), &v) && v == 0x7000 + s;
    }
    vtlb_get_stats(&after);
    vm_activate(0);
    for (uint32_t s = 0; s < NSPACES; s++)
        as_destroy(&many[s]);
    KT_ASSERT(wrote && read);
    KT_ASSERT(after.arch.asid_recycles - before.arch.asid_recycles >= NSPACES - 127);
    if (longest >= SHORT_NP)
        ktest_fail(__FILE__, __LINE__, "a switch of %llu instructions",
                   (unsigned long long)longest);
    KT_ASSERT_EQ(heap.pages, 0);
}
