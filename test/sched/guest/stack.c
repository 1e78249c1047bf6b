/* Growable thread stacks (paper 3.4.2), on both arches: stacks grow on
 * demand and are trimmed back (never within the probed 2K of a section
 * still open), and probes take the faults before non-preemptible code. */
#include <kernel/vm/kmem.h>
#include <kernel/ktest.h>
#include <kernel/vm/pmem.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/sync/semaphore.h>
#include <kernel/sync/lock.h>
#include <kernel/vm/trap.h>
#include <kernel/vm/vtlb.h>

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

/* A thread that blocks inside a probed section (here: holding a mutex)
 * keeps the 2K it probed below its stack pointer: code it runs later in
 * that section (a nested spinlock section does not probe again) may use
 * them without faulting. */
static struct mutex probed_section = MUTEX_INIT("probed section");

static void deep_then_block_probed(void *arg)
{
    (void)arg;
    sink += recurse(32); /* 16 KiB resident, well below where it blocks */
    mutex_lock(&probed_section);
    sem_up(&done);
    sem_down(&release); /* blocked with its probe still open */
    mutex_unlock(&probed_section);
}

/* Whether the page at va in the kernel's space has its physical page. */
static bool resident(vaddr_t va)
{
    struct vtlb_mapping m;
    return vtlb_miss(&kernel_as, va, AS_PROT_READ, &m) == VTLB_ENTER;
}

KTEST(stack_reclaim_keeps_the_probed_2k_of_an_open_section)
{
    sem_init(&done, "done", 0);
    sem_init(&release, "release", 0);
    struct thread *t = thread_create("probed", PRIO_NORMAL - 1, deep_then_block_probed, 0);
    KT_ASSERT(t != 0);
    sem_down(&done);
    KT_ASSERT(t->probe_count > 0);
    /* Reclaim below the page boundary at or under t's stack pointer
     * (nothing under the stack pointer is in use), so the probed 2K reach
     * into the page below it, which must stay; the one below that goes. */
    vaddr_t boundary = arch_thread_sp(&t->arch) & ~(vaddr_t)(PAGE_SIZE - 1);
    KT_ASSERT(resident(boundary - PAGE_SIZE) && resident(boundary - 2 * PAGE_SIZE));
    KT_ASSERT(stack_reclaim(t, boundary) > 0);
    bool probed_page_kept = resident(boundary - PAGE_SIZE);
    bool page_below_freed = !resident(boundary - 2 * PAGE_SIZE);
    /* and the periodic path, from t's real stack pointer */
    vaddr_t probed = arch_thread_sp(&t->arch) - STACK_PROBE_DEPTH;
    stack_reclaim_all();
    bool kept_by_reclaim_all = resident(probed);
    sem_up(&release);
    thread_join(t);
    KT_ASSERT(probed_page_kept);
    KT_ASSERT(page_below_freed);
    KT_ASSERT(kept_by_reclaim_all);
}
