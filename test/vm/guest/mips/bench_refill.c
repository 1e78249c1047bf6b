/* The MIPS refill fast path, in guest instructions: empty the hardware TLB
 * and touch eight page pairs the software TLB holds (eight refills), against
 * emptying it and touching eight unmapped (kseg0) words. */
#include <arch/mips.h>
#include <kernel/vm/heap.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/vm/vm.h>
#include <kernel/vm/trap.h>

#define PG PAGE_SIZE

KBENCH(bench_vtlb_refill)
{
    enum { PAIRS = 8, ROUNDS = 2000 };
    static struct heap heap;
    static volatile uint32_t unmapped[PAIRS * 2 * 1024];
    struct as as;
    heap_init(&heap, "bench");
    as_init(&as, "bench", USER_BASE, USER_END, &heap);
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_allocate(&as, &a, PAIRS * 2 * PG, AS_ANYWHERE | AS_PROT_READ), S_OK);
    vm_activate(&as);
    for (int i = 0; i < PAIRS * 2; i++)
        (void)*(volatile uint32_t *)user_ptr(a + (vaddr_t)i * PG);
    struct vtlb_stats before, after;
    vtlb_get_stats(&before);
    uint64_t t0 = arch_cycles();
    for (int k = 0; k < ROUNDS; k++) {
        mips_tlb_clear_hw();
        for (int p = 0; p < PAIRS; p++)
            (void)unmapped[p * 2048];
    }
    uint64_t t1 = arch_cycles();
    for (int k = 0; k < ROUNDS; k++) {
        mips_tlb_clear_hw();
        for (int p = 0; p < PAIRS; p++)
            (void)*(volatile uint32_t *)user_ptr(a + (vaddr_t)p * 2 * PG);
    }
    uint64_t t2 = arch_cycles();
    vtlb_get_stats(&after);
    uint64_t refills = after.arch.hw_refills - before.arch.hw_refills;
    kprintf("bench: vtlb_refill arch=mips refills=%llu slow_misses=%llu "
            "instructions_per_refill=%llu\n",
            (unsigned long long)refills,
            (unsigned long long)(after.user_misses - before.user_misses),
            (unsigned long long)((t2 - t1) - (t1 - t0)) / (ROUNDS * PAIRS));
    as_destroy(&as);
}
