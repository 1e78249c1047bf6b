/* Growable thread stacks (paper 3.4.2), on both arches: stacks grow on
 * demand and are trimmed back, and probes take the faults before
 * non-preemptible code. */
#include <kernel/vm/kmem.h>
#include <kernel/ktest.h>
#include <kernel/vm/pmem.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/sync/semaphore.h>
#include <kernel/sync/lock.h>
#include <kernel/vm/trap.h>

#define THREADS   50
#define FRAME     512
#define DEPTH_32K (32 * 1024 / FRAME) /* frames of at least FRAME bytes */

static struct semaphore done, release;
static volatile unsigned sink;

/* Recurse `depth` frames of at least FRAME bytes each, touching them
 * (memset takes the array's address, so the compiler must keep it whole). */
static __attribute__((noinline)) unsigned recurse(int depth)
{
    char frame[FRAME];
    memset(frame, depth, sizeof frame);
    return depth ? recurse(depth - 1) + (unsigned char)frame[depth % FRAME] : 0;
}

static void deep_then_wait(void *arg)
{
    (void)arg;
    sink += recurse(DEPTH_32K);
    sem_up(&done);
    sem_down(&release); /* stay alive, shallow, while main reclaims */
}

KTEST(stack_threads_grow_on_demand_and_are_reclaimed)
{
    sem_init(&done, "done", 0);
    sem_init(&release, "release", 0);
    struct pmem_stats s0, s1, s2;
    pmem_get_stats(&s0);
    struct thread *t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        t[i] = thread_create("deep", PRIO_NORMAL - 1, deep_then_wait, 0);
        KT_ASSERT(t[i] != 0);
    }
    for (int i = 0; i < THREADS; i++)
        sem_down(&done);
    pmem_get_stats(&s1);
    /* each stack grew to about 32 KiB (8 pages) on demand */
    KT_ASSERT(s0.free_pages - s1.free_pages >= THREADS * 8);
    size_t reclaimed = stack_reclaim_all();
    pmem_get_stats(&s2);
    KT_ASSERT(reclaimed >= THREADS * 6);
    /* what is left: each thread's shallow pages (the stated bound: 2 pages
     * a thread), plus the node and thread-structure heap pages */
    KT_ASSERT(s0.free_pages - s2.free_pages <= THREADS * 2 + 16);
    for (int i = 0; i < THREADS; i++)
        sem_up(&release);
    for (int i = 0; i < THREADS; i++)
        thread_join(t[i]);
}

/* Non-preemptible sections deep in a stack never fault on it: each one
 * probes 2K below the stack pointer first (the runner fails a test in
 * which an unprobed stack fault happened). */
static struct spinlock lock = SPINLOCK_INIT("probe test", NP_SYNC);

/* What non-preemptible code may do: call something that uses up to
 * about 1.5 KiB more stack (within the probed 2K). */
static __attribute__((noinline)) unsigned use_stack(int v)
{
    char buf[1536];
    memset(buf, v, sizeof buf);
    return (unsigned char)buf[v % sizeof buf];
}

static __attribute__((noinline)) unsigned locked_recursion(int depth)
{
    char frame[FRAME];
    memset(frame, depth, sizeof frame);
    spin_lock(&lock);
    unsigned v = use_stack(depth); /* deeper than anything touched so far */
    spin_unlock(&lock);
    return depth ? locked_recursion(depth - 1) + v + (unsigned char)frame[depth % FRAME] : v;
}

static void probing_thread(void *arg)
{
    (void)arg;
    sink += locked_recursion(DEPTH_32K);
}

KTEST(stack_probes_take_faults_before_non_preemptible_code)
{
    uint64_t unprobed = stack_unprobed_faults();
    struct thread *t = thread_create("prober", PRIO_NORMAL - 1, probing_thread, 0);
    KT_ASSERT(t != 0);
    thread_join(t);
    KT_ASSERT_EQ(stack_unprobed_faults(), unprobed);
}

static void deep_once(void *arg)
{
    (void)arg;
    sink += recurse(DEPTH_32K);
    sem_up(&done);
    sem_down(&release);
}

/* Nobody asks: the timer has the helper trim stacks once a second. */
KTEST(stack_pages_are_reclaimed_periodically)
{
    sem_init(&done, "done", 0);
    sem_init(&release, "release", 0);
    struct thread *t = thread_create("deep once", PRIO_NORMAL - 1, deep_once, 0);
    KT_ASSERT(t != 0);
    sem_down(&done);
    uint64_t before = vm_stack_pages_reclaimed();
    thread_sleep_ticks(2 * 100 + 10); /* two periods at 100 Hz */
    KT_ASSERT(vm_stack_pages_reclaimed() - before >= 6);
    sem_up(&release);
    thread_join(t);
}
