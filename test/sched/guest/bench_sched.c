/* Scheduler and synchronization benchmarks (tools/bench runs them under
 * qemu -icount shift=0): a context switch, an uncontended mutex, and the
 * longest non-preemptible section of each kind under a stress workload. */
#include <kernel/arch.h>
#include <kernel/vm/heap.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/sched/sched.h>
#include <kernel/sync/lock.h>
#include <kernel/vm/vm.h>
#include <kernel/vm/trap.h>

#define PG PAGE_SIZE

enum { YIELDS = 5000 };
static volatile uint64_t first_start, last_end;

static void yielder(void *arg)
{
    (void)arg;
    if (!first_start)
        first_start = arch_cycles();
    for (int i = 0; i < YIELDS; i++)
        thread_yield();
    last_end = arch_cycles();
}

/* Two threads of one priority, above main, yield to each other: every
 * yield is a switch. */
KBENCH(bench_sched_switch)
{
    first_start = last_end = 0;
    struct thread *a = thread_create("yield a", PRIO_NORMAL + 4, yielder, 0);
    struct thread *b = thread_create("yield b", PRIO_NORMAL + 4, yielder, 0);
    KT_ASSERT(a && b);
    thread_join(a);
    thread_join(b);
    kprintf("bench: sched_switch arch=%s instructions_per_switch=%llu\n", ARCH_NAME,
            (unsigned long long)(last_end - first_start) / (2 * YIELDS));

    static struct mutex m = MUTEX_INIT("bench");
    enum { LOCKS = 20000 };
    uint64_t t0 = arch_cycles();
    for (int i = 0; i < LOCKS; i++) {
        mutex_lock(&m);
        mutex_unlock(&m);
    }
    uint64_t t1 = arch_cycles();
    kprintf("bench: mutex arch=%s instructions_per_lock_unlock=%llu\n", ARCH_NAME,
            (unsigned long long)(t1 - t0) / LOCKS);
}

/* ---- the stress workload for the non-preemptible maximum ---- */

enum { WORKERS = 4, OPS = 400 };
static struct heap heap;
static struct as shared, own[WORKERS];

static void worker(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;
    uint32_t rng = id * 2654435761u + 7;
    vaddr_t mine = USER_BASE;
    as_allocate(&own[id], &mine, 64 * PG, AS_PROT_READ | AS_PROT_WRITE);
    for (int i = 0; i < OPS; i++) {
        rng = rng * 1103515245u + 12345u;
        vaddr_t a = USER_BASE + ((rng >> 8) % 256) * 4 * PG;
        if (rng & 1) {
            as_allocate(&shared, &a, PG * (1 + (rng >> 28)), AS_PROT_READ | AS_PROT_WRITE);
            as_protect(&shared, a, PG, AS_PROT_READ);
        } else {
            as_deallocate(&shared, a, 4 * PG);
        }
        vm_activate(&own[id]); /* touch its own memory: VTLB misses */
        for (int p = 0; p < 64; p += 7)
            *(volatile uint32_t *)user_ptr(mine + (vaddr_t)p * PG) = (uint32_t)i;
    }
}

KBENCH(bench_np_stress)
{
    heap_init(&heap, "np stress");
    as_init(&shared, "shared", USER_BASE, USER_END, &heap);
    for (int i = 0; i < WORKERS; i++)
        as_init(&own[i], "own", USER_BASE, USER_END, &heap);
    np_reset_stats();
    struct thread *t[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        t[i] = thread_create("stress", PRIO_NORMAL - 2, worker, (void *)(uintptr_t)i);
    for (int i = 0; i < WORKERS; i++)
        thread_join(t[i]);
    np_print_bench("np", np_get_stats);
    np_print_bench("irqoff", np_irqoff_get_stats);
    vm_activate(0);
    for (int i = 0; i < WORKERS; i++)
        as_destroy(&own[i]);
    as_destroy(&shared);
}
