/* VTLB benchmarks (run by tools/bench under qemu -icount shift=0, where
 * arch_cycles counts guest instructions): the cost of a full VTLB miss,
 * of kernel-space operations (whose AS mutations run on the interrupt
 * stack), and the number of misses of a fixed multi-space workload, which
 * tools/bench charts against the VTLB's bound (the paper's Figure 6). */
#include <kernel/arch.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/vm/vm.h>
#include <kernel/vm/trap.h>

#define PG PAGE_SIZE

static struct heap heap;

static uint32_t read_user(vaddr_t va)
{
    return *(volatile uint32_t *)user_ptr(va);
}

/* Remove a page's translation and touch it (a full miss: trap, tree
 * lookup, enter), against removing it and touching a page that stays
 * mapped; the difference per round is the miss. */
KBENCH(bench_vtlb_miss)
{
    enum { PAGES = 64, ROUNDS = 4000 };
    struct as as;
    heap_init(&heap, "bench");
    as_init(&as, "bench", USER_BASE, USER_END, &heap);
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_allocate(&as, &a, (PAGES + 1) * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE),
                 S_OK);
    vm_activate(&as);
    for (int i = 0; i <= PAGES; i++)
        read_user(a + (vaddr_t)i * PG);
    vaddr_t hot = a + PAGES * PG;
    uint64_t t0 = arch_cycles();
    for (int k = 0; k < ROUNDS; k++) {
        vtlb_remove(&as, a + (vaddr_t)(k % PAGES) * PG, PG);
        read_user(hot);
    }
    uint64_t t1 = arch_cycles();
    for (int k = 0; k < ROUNDS; k++) {
        vtlb_remove(&as, a + (vaddr_t)(k % PAGES) * PG, PG);
        read_user(a + (vaddr_t)(k % PAGES) * PG);
    }
    uint64_t t2 = arch_cycles();
    kprintf("bench: vtlb_miss arch=%s instructions_per_miss=%llu\n", ARCH_NAME,
            (unsigned long long)((t2 - t1) - (t1 - t0)) / ROUNDS);
    as_destroy(&as);
}

/* Reserve and Deallocate of one page of kernel_as: two AS mutations, each
 * a switch to the interrupt stack and back (x86: a ring round trip). */
KBENCH(bench_kernel_as_reserve)
{
    enum { ROUNDS = 2000 };
    uint64_t t0 = arch_cycles();
    for (int k = 0; k < ROUNDS; k++) {
        vaddr_t a = 0;
        KT_ASSERT_EQ(as_reserve(&kernel_as, &a, PG, AS_ANYWHERE), S_OK);
        KT_ASSERT_EQ(as_deallocate(&kernel_as, a, PG), S_OK);
    }
    uint64_t t1 = arch_cycles();
    kprintf("bench: kernel_as_reserve arch=%s instructions_per_reserve_deallocate=%llu\n",
            ARCH_NAME, (unsigned long long)(t1 - t0) / ROUNDS);
}

/* Figure 6's workload: n spaces with the same layout (like processes of
 * one program): 12 regions of 4 pages in distinct 4 MiB slots at
 * scattered addresses (12 x86 page tables, 24 MIPS page pairs per space),
 * all touched in a pseudo-random order for a number of rounds, switching
 * spaces between bursts. */
enum { GROUPS = 12, GROUP_PAGES = 4, ROUNDS6 = 20, MAX_SPACES = 10 };
#define SLOT (4u * 1024 * 1024)

static struct as spaces[MAX_SPACES];
static vaddr_t group_base[GROUPS];

static void choose_layout(void)
{
    uint32_t x = 2463534242u;
    for (unsigned g = 0; g < GROUPS; g++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        /* slot g of 12 equal parts of the user range, at a random 16 KiB step in it */
        vaddr_t part = (USER_END - USER_BASE) / GROUPS / SLOT * SLOT;
        group_base[g] = USER_BASE + g * part + (x % ((part - SLOT) / (16 * 1024))) * 16 * 1024;
    }
}

static vaddr_t group_va(unsigned g)
{
    return group_base[g];
}

static void figure6(unsigned n)
{
    choose_layout();
    heap_init(&heap, "bench");
    for (unsigned s = 0; s < n; s++) {
        as_init(&spaces[s], "fig6", USER_BASE, USER_END, &heap);
        for (unsigned g = 0; g < GROUPS; g++) {
            vaddr_t va = group_va(g);
            if (as_allocate(&spaces[s], &va, GROUP_PAGES * PG, AS_PROT_READ | AS_PROT_WRITE))
                panic("bench: out of memory");
        }
    }
    struct vtlb_stats before, after;
    vtlb_get_stats(&before);
    uint32_t rng = 1;
    unsigned accesses = 0;
    for (unsigned r = 0; r < ROUNDS6; r++) {
        for (unsigned s = 0; s < n; s++) {
            vm_activate(&spaces[s]); /* a "context switch" */
            for (unsigned i = 0; i < GROUPS * GROUP_PAGES; i++, accesses++) {
                rng = rng * 1103515245u + 12345u;
                unsigned page = (rng >> 8) % (GROUPS * GROUP_PAGES);
                read_user(group_va(page / GROUP_PAGES) + (page % GROUP_PAGES) * PG);
            }
        }
    }
    vtlb_get_stats(&after);
    kprintf("bench: vtlb_figure6 arch=%s spaces=%u bound=%u accesses=%u misses=%llu "
            "mapping_bytes=%zu\n",
            ARCH_NAME, n, after.bound, accesses,
            (unsigned long long)(after.user_misses - before.user_misses), after.mapping_bytes_max);
    for (unsigned s = 0; s < n; s++)
        as_destroy(&spaces[s]);
}

KBENCH(bench_vtlb_figure6)
{
    figure6(3);
    figure6(10);
}
