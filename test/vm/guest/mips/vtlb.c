/* MIPS-only VTLB tests: the refill fast path really serves refills from
 * the software TLB, and ASIDs run out and are recycled. */
#include <arch/mips.h>
#include <kernel/vm/heap.h>
#include <kernel/ktest.h>
#include <kernel/vm/vm.h>
#include <kernel/vm/trap.h>

#define PG      PAGE_SIZE
#define NSPACES 300 /* more than the 127 ASID pairs */

static struct heap heap;

/* QEMU keeps evicted TLB entries alive, so the test empties the hardware
 * TLB with tlbwi to be sure each access below is a refill. */
KTEST(vtlb_mips_refills_come_from_the_software_tlb)
{
    struct as as;
    heap_init(&heap, "refill test");
    as_init(&as, "r", USER_BASE, USER_END, &heap);
    vaddr_t a = 0;
    uint32_t v;
    KT_ASSERT_EQ(as_allocate(&as, &a, 8 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    vm_activate(&as);
    for (uint32_t i = 0; i < 8; i++)
        KT_ASSERT(arch_probe_write32(user_ptr(a + i * PG), i));
    struct vtlb_stats before, after;
    vtlb_get_stats(&before);
    for (int round = 0; round < 10; round++) {
        mips_tlb_clear_hw();
        for (uint32_t i = 0; i < 8; i++)
            KT_ASSERT(arch_probe_read32(user_ptr(a + i * PG), &v) && v == i);
    }
    vtlb_get_stats(&after);
    KT_ASSERT_EQ(after.user_misses, before.user_misses); /* never the slow path */
    KT_ASSERT(after.arch.hw_refills - before.arch.hw_refills >=
              10 * 4); /* a refill per page pair */
    KT_ASSERT_EQ(after.arch.stlb_hits - before.arch.stlb_hits,
                 after.arch.hw_refills - before.arch.hw_refills);
    as_destroy(&as);
}

static struct as spaces[NSPACES];

KTEST(vtlb_mips_asids_are_recycled)
{
    struct vtlb_stats before, after;
    vtlb_get_stats(&before);
    heap_init(&heap, "asid test");
    vaddr_t a = USER_BASE + 0x100000;
    uint32_t v;
    for (uint32_t s = 0; s < NSPACES; s++) {
        as_init(&spaces[s], "asid", USER_BASE, USER_END, &heap);
        vaddr_t va = a;
        KT_ASSERT_EQ(as_allocate(&spaces[s], &va, PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
        vm_activate(&spaces[s]);
        KT_ASSERT(arch_probe_write32(user_ptr(a), 0xa000 + s));
    }
    for (uint32_t s = 0; s < NSPACES; s++) { /* each still reads its own page */
        vm_activate(&spaces[s]);
        KT_ASSERT(arch_probe_read32(user_ptr(a), &v) && v == 0xa000 + s);
    }
    vtlb_get_stats(&after);
    for (uint32_t s = 0; s < NSPACES; s++)
        as_destroy(&spaces[s]);
    KT_ASSERT(after.arch.asid_recycles - before.arch.asid_recycles >= NSPACES - 127);
}
