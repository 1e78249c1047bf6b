/* Threads, preemption and the paper's synchronization (issue 5), on both
 * arches: threads run and are joined, the timer shares the processor
 * among equal priorities, priority inheritance solves the inversion and
 * follows chains of owners and survives releasing one of several mutexes,
 * threads preempted in the middle of address-space operations leave the
 * space consistent, and faults go to the helper unless they cannot wait. */
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/sched/np.h>
#include <kernel/sched/sched.h>
#include <kernel/sync/semaphore.h>
#include <kernel/sync/lock.h>
#include <kernel/timer.h>
#include <kernel/vm/vm.h>
#include <kernel/vm/trap.h>

#define PG PAGE_SIZE

/* ---- threads run, share a mutex, and are joined ---- */

static struct mutex counter_lock = MUTEX_INIT("counter");
static volatile int counter;

static void add_many(void *arg)
{
    int n = (int)(uintptr_t)arg;
    for (int i = 0; i < n; i++) {
        mutex_lock(&counter_lock);
        int c = counter;
        if (i % 7 == 0)
            thread_yield(); /* let others find the mutex held */
        counter = c + 1;
        mutex_unlock(&counter_lock);
    }
}

KTEST(sched_threads_share_a_mutex_and_are_joined)
{
    struct thread *t[10];
    counter = 0;
    for (int i = 0; i < 10; i++) {
        t[i] = thread_create("adder", PRIO_NORMAL - 1 - i % 3, add_many, (void *)200);
        KT_ASSERT(t[i] != 0);
    }
    for (int i = 0; i < 10; i++)
        thread_join(t[i]);
    KT_ASSERT_EQ(counter, 2000);
    KT_ASSERT(!mutex_held(&counter_lock));
}

/* ---- the timer shares the processor among equal priorities ---- */

static volatile bool stop;
static volatile unsigned long spins[2];

static void spinner(void *arg)
{
    int who = (int)(uintptr_t)arg;
    while (!stop)
        spins[who]++;
}

KTEST(sched_timer_shares_equal_priorities)
{
    stop = false;
    spins[0] = spins[1] = 0;
    struct thread *a = thread_create("spin a", 8, spinner, (void *)0);
    struct thread *b = thread_create("spin b", 8, spinner, (void *)1);
    KT_ASSERT(a && b);
    struct sched_stats before, after;
    sched_get_stats(&before);
    thread_sleep_ticks(20); /* neither spinner ever yields */
    unsigned long a1 = spins[0], b1 = spins[1];
    thread_sleep_ticks(20);
    stop = true;
    thread_join(a);
    thread_join(b);
    sched_get_stats(&after);
    KT_ASSERT(a1 > 0 && b1 > 0);
    KT_ASSERT(spins[0] > a1 && spins[1] > b1); /* both kept running */
    KT_ASSERT(after.preemptions - before.preemptions >= 10);
}

/* A thread's cycles are its time on the processor: a spinner that is
 * always ready has nearly all of a window, the sleeper and the idle
 * thread almost none. */
KTEST(sched_threads_count_their_own_cycles)
{
    uint64_t c0 = sched_thread_cycles(thread_current()), t0 = arch_cycles();
    while (arch_cycles() - t0 < 200000) /* the running thread's count moves too */
        ;
    KT_ASSERT(sched_thread_cycles(thread_current()) - c0 >= 200000);
    stop = false;
    struct thread *a = thread_create("spin", 8, spinner, (void *)0);
    KT_ASSERT(a);
    thread_sleep_ticks(1);
    t0 = arch_cycles();
    uint64_t s0 = sched_thread_cycles(a);
    uint64_t m0 = sched_thread_cycles(thread_current()), i0 = sched_idle_cycles();
    thread_sleep_ticks(20);
    uint64_t window = arch_cycles() - t0, spun = sched_thread_cycles(a) - s0;
    uint64_t slept = sched_thread_cycles(thread_current()) - m0, idle = sched_idle_cycles() - i0;
    stop = true;
    thread_join(a);
    KT_ASSERT(spun > window / 10 * 9 && spun <= window);
    KT_ASSERT(slept < window / 20);
    KT_ASSERT(idle < window / 20);
}

/* An interrupts-off stretch runs from the np_begin that turned interrupts
 * off to its np_end, under that section's kind; sections nested inside
 * it, or begun with interrupts already off, start none of their own. */
KTEST(np_measures_interrupts_off_stretches)
{
    struct np_stats sync0, vtlb0, sync1, vtlb1;
    np_reset_stats();
    np_irqoff_get_stats(NP_SYNC, &sync0);
    np_irqoff_get_stats(NP_VTLB, &vtlb0);
    unsigned long outer = np_begin(NP_SYNC);
    uint64_t t0 = arch_cycles();
    unsigned long inner = np_begin(NP_VTLB); /* nested: interrupts were off already */
    np_end(NP_VTLB, inner);                  /* (the stretch goes on) */
    while (arch_cycles() - t0 < 100000)
        ;
    np_end(NP_SYNC, outer);
    uint64_t took = arch_cycles() - t0;
    unsigned long raw = arch_irq_save(); /* off before the section: not its stretch */
    unsigned long again = np_begin(NP_VTLB);
    np_end(NP_VTLB, again);
    arch_irq_restore(raw);
    np_irqoff_get_stats(NP_SYNC, &sync1);
    np_irqoff_get_stats(NP_VTLB, &vtlb1);
    KT_ASSERT_EQ(sync1.count - sync0.count, 1);
    KT_ASSERT(sync1.max >= 100000 && sync1.max <= took + 1000);
    KT_ASSERT_EQ(vtlb1.count, vtlb0.count);
}

/* A trap is a stretch of its own, under its kind, when what it
 * interrupted had interrupts on; inside a stretch already open it is a
 * part of that one. */
KTEST(np_counts_a_trap_stretch_only_from_interrupts_on)
{
    struct np_stats in0, in1, on0, on1, trap;
    np_reset_stats();
    unsigned long irq = np_begin(NP_SYNC);
    np_irqoff_get_stats(NP_INTERRUPT, &in0);
    arch_yield(); /* a trap with interrupts off: no switch, no stretch */
    np_irqoff_get_stats(NP_INTERRUPT, &in1);
    np_end(NP_SYNC, irq);
    np_irqoff_get_stats(NP_INTERRUPT, &on0);
    arch_yield();
    np_irqoff_get_stats(NP_INTERRUPT, &on1);
    np_get_stats(NP_INTERRUPT, &trap);
    KT_ASSERT_EQ(in1.count, in0.count);
    KT_ASSERT(on1.count > on0.count);
    KT_ASSERT(on1.max > 0 && on1.max <= trap.max + 100);
}

/* ---- priority inversion (paper 3.2.2) ---- */

static struct mutex shared = MUTEX_INIT("shared");
static volatile bool low_has_it, high_done, medium_running;
static volatile int low_prio_seen;

static void low(void *arg)
{
    (void)arg;
    mutex_lock(&shared);
    low_has_it = true;
    /* work while holding it, long enough (about 150 ms) for high to be
     * made and to block on the mutex meanwhile */
    for (volatile unsigned long i = 0; i < 30000000; i++)
        ;
    low_prio_seen = thread_current()->prio;
    mutex_unlock(&shared);
}

static void medium(void *arg)
{
    (void)arg;
    medium_running = true;
    while (!stop) /* never blocks, never yields */
        ;
}

static void high(void *arg)
{
    (void)arg;
    mutex_lock(&shared);
    high_done = true;
    mutex_unlock(&shared);
}

KTEST(sched_priority_inheritance_solves_the_inversion)
{
    stop = low_has_it = high_done = medium_running = false;
    struct thread *l = thread_create("low", 4, low, 0);
    KT_ASSERT(l != 0);
    while (!low_has_it)
        thread_sleep_ticks(1);
    struct thread *m = thread_create("medium", 8, medium, 0);
    struct thread *h = thread_create("high", 12, high, 0);
    KT_ASSERT(m && h);
    /* main (16) sleeps: high runs and blocks, medium spins; only
     * inheritance lets low finish and hand the mutex to high */
    uint64_t deadline = timer_ticks() + 500;
    while (!high_done && timer_ticks() < deadline)
        thread_sleep_ticks(2);
    bool medium_still_spinning = medium_running && !stop;
    stop = true;
    thread_join(h);
    thread_join(m);
    thread_join(l);
    KT_ASSERT(high_done);
    KT_ASSERT(medium_still_spinning);
    KT_ASSERT_EQ(low_prio_seen, 12); /* it ran at high's priority */
}

/* ---- inheritance through a chain: high waits for mid, mid for low ---- */

static struct mutex m1 = MUTEX_INIT("m1"), m2 = MUTEX_INIT("m2");
static struct semaphore go_low, low_holds, mid_holds;

static void chain_low(void *arg)
{
    (void)arg;
    mutex_lock(&m1);
    sem_up(&low_holds);
    sem_down(&go_low);
    mutex_unlock(&m1);
}

static void chain_mid(void *arg)
{
    (void)arg;
    mutex_lock(&m2);
    sem_up(&mid_holds);
    mutex_lock(&m1); /* blocks on low */
    mutex_unlock(&m1);
    mutex_unlock(&m2);
}

static void chain_high(void *arg)
{
    (void)arg;
    mutex_lock(&m2); /* blocks on mid, which blocks on low */
    mutex_unlock(&m2);
}

KTEST(sched_inheritance_follows_chains_of_owners)
{
    sem_init(&go_low, "go", 0);
    sem_init(&low_holds, "low holds", 0);
    sem_init(&mid_holds, "mid holds", 0);
    struct thread *l = thread_create("chain low", 3, chain_low, 0);
    sem_down(&low_holds);
    struct thread *m = thread_create("chain mid", 6, chain_mid, 0);
    sem_down(&mid_holds);
    thread_sleep_ticks(2); /* mid is now waiting for m1 */
    KT_ASSERT_EQ(l->prio, 6);
    struct thread *h = thread_create("chain high", 14, chain_high, 0);
    thread_sleep_ticks(2); /* high is now waiting for m2 */
    KT_ASSERT_EQ(m->prio, 14);
    KT_ASSERT_EQ(l->prio, 14); /* through mid */
    sem_up(&go_low);
    thread_join(h);
    thread_join(m);
    thread_join(l);
    KT_ASSERT(!mutex_held(&m1) && !mutex_held(&m2));
}

/* ---- releasing one of several mutexes keeps what the others inherit ---- */

/* The holder takes three mutexes: `urgent` (high waits for it), `less`
 * (mid waits for it) and `free_one`, taken last so that it heads the
 * holder's list and nobody waits for it. */
static struct mutex urgent = MUTEX_INIT("urgent"), less = MUTEX_INIT("less"),
                    free_one = MUTEX_INIT("free one");
static struct semaphore holds_all, go_release;
static volatile int prio_after_first_release;

static void hold_three(void *arg)
{
    struct mutex *first = arg, *second = first == &urgent ? &less : &urgent;
    mutex_lock(&urgent);
    mutex_lock(&less);
    mutex_lock(&free_one);
    sem_up(&holds_all);
    sem_down(&go_release);
    mutex_unlock(first); /* its waiter takes it and runs if more urgent */
    prio_after_first_release = thread_current()->prio;
    mutex_unlock(second);
    mutex_unlock(&free_one);
}

static void lock_and_leave(void *arg)
{
    mutex_lock(arg);
    mutex_unlock(arg);
}

/* The holder (3) releases `first` while high (14) waits for `urgent` and
 * mid (10) for `less`; returns the priority it kept then (-1 if it had
 * not inherited high's 14 before). */
static int priority_after_releasing(struct mutex *first)
{
    sem_init(&holds_all, "holds all", 0);
    sem_init(&go_release, "go release", 0);
    prio_after_first_release = -1;
    struct thread *l = thread_create("holder of three", 3, hold_three, first);
    if (!l)
        return -1;
    sem_down(&holds_all);
    struct thread *m = thread_create("waits for less", 10, lock_and_leave, &less);
    struct thread *h = thread_create("waits for urgent", 14, lock_and_leave, &urgent);
    thread_sleep_ticks(2); /* both are now waiting */
    int inherited = l->prio;
    sem_up(&go_release);
    thread_join(l);
    thread_join(h);
    thread_join(m);
    return inherited == 14 ? prio_after_first_release : -1;
}

KTEST(sched_releasing_one_mutex_keeps_the_others_inheritance)
{
    /* what is left is less, whose waiter is mid: down to 10, not to 3 */
    KT_ASSERT_EQ(priority_after_releasing(&urgent), 10);
    /* what is left is urgent, whose waiter is high: still 14 */
    KT_ASSERT_EQ(priority_after_releasing(&less), 14);
    KT_ASSERT(!mutex_held(&urgent) && !mutex_held(&less) && !mutex_held(&free_one));
}

/* ---- preempted address-space operations leave the space consistent ---- */

#define WORKERS 4
static struct as shared_space;
static struct heap space_heap;

static void space_worker(void *arg)
{
    uint32_t rng = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
    for (int i = 0; i < 300; i++) {
        rng = rng * 1103515245u + 12345u;
        vaddr_t a = USER_BASE + ((rng >> 8) % 512) * 4 * PG;
        size_t pages = 1 + (rng >> 20) % 4;
        switch ((rng >> 4) % 4) {
        case 0:
            as_allocate(&shared_space, &a, pages * PG, AS_PROT_READ | AS_PROT_WRITE);
            break;
        case 1:
            as_deallocate(&shared_space, a, pages * PG);
            break;
        case 2:
            as_protect(&shared_space, a, pages * PG, AS_PROT_READ);
            break;
        default:
            as_decommit(&shared_space, a, pages * PG);
            break;
        }
    }
}

KTEST(sched_preempted_space_operations_stay_consistent)
{
    heap_init(&space_heap, "sched test");
    as_init(&shared_space, "shared", USER_BASE, USER_END, &space_heap);
    struct thread *t[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        t[i] = thread_create("space worker", 8, space_worker, (void *)(uintptr_t)(i + 1));
        KT_ASSERT(t[i] != 0);
    }
    for (int i = 0; i < WORKERS; i++)
        thread_join(t[i]);
    as_check(&shared_space); /* tree invariants and counters; panics if broken */
    as_destroy(&shared_space);
    KT_ASSERT_EQ(space_heap.pages, 0);
}

/* ---- faults are resolved by the helper thread, which may wait ---- */

static struct as fault_space;
static volatile bool holder_released, toucher_done;
static volatile uint32_t touched_value = 1;
static vaddr_t auto_page;

static void mutex_holder(void *arg)
{
    (void)arg;
    mutex_lock(&fault_space.mutex); /* as if in the middle of an operation */
    thread_sleep_ticks(5);
    holder_released = true;
    mutex_unlock(&fault_space.mutex);
}

static void toucher(void *arg)
{
    (void)arg;
    uint32_t v = 7;
    vm_peek32(&fault_space, auto_page, &v); /* an auto-commit fault */
    touched_value = v;
    toucher_done = holder_released; /* the fault could only end after the release */
}

KTEST(sched_fault_waits_for_the_space_mutex_in_the_helper)
{
    heap_init(&space_heap, "fault test");
    as_init(&fault_space, "faults", USER_BASE, USER_END, &space_heap);
    auto_page = 0;
    KT_ASSERT_EQ(as_allocate(&fault_space, &auto_page, 4 * PG,
                             AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO |
                                 AS_COMMIT_ALLOC_ZERO),
                 S_OK);
    holder_released = toucher_done = false;
    uint64_t deferred = vm_faults_deferred();
    struct thread *h = thread_create("holder", 10, mutex_holder, 0);
    thread_sleep_ticks(1); /* the holder has the mutex */
    struct thread *t = thread_create("toucher", 12, toucher, 0);
    thread_join(t);
    thread_join(h);
    KT_ASSERT(toucher_done);
    KT_ASSERT_EQ(touched_value, 0);
    KT_ASSERT(vm_faults_deferred() > deferred);
    vm_activate(0);
    as_destroy(&fault_space);
}

/* ---- a fault that cannot wait is resolved in the trap ---- */

/* Non-preemptible code (here main, on its fixed stack) that touches a
 * fresh auto-commit page in the kernel's space (not its stack, and with
 * the space's mutex free) must have the fault resolved in the trap: the
 * helper cannot run before the section ends, so deferring would leave the
 * thread blocked where it cannot block, retrying the access for ever. */
struct trap_resolved {
    uint32_t before, after;     /* what the fresh page read, then what was written */
    uint64_t autocommit_faults; /* during the access */
    uint64_t deferred;          /* faults handed to the helper meanwhile */
    enum thread_state state;    /* main's, right after the access */
};

static void touch_fresh_page(volatile uint32_t *p, struct trap_resolved *r)
{
    struct vm_fault_stats s0, s1;
    uint64_t deferred = vm_faults_deferred();
    vm_get_fault_stats(&s0);
    r->before = *p; /* the auto-commit fault */
    *p = 0x5eed;
    r->after = *p;
    r->state = thread_current()->state;
    vm_get_fault_stats(&s1);
    r->autocommit_faults = s1.autocommit - s0.autocommit;
    r->deferred = vm_faults_deferred() - deferred;
}

/* The section's way of being non-preemptible is up to `how`. */
static bool resolved_in_the_trap(void (*how)(volatile uint32_t *, struct trap_resolved *))
{
    vaddr_t page = 0;
    if (as_allocate(&kernel_as, &page, PG,
                    AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO |
                        AS_COMMIT_ALLOC_ZERO) != S_OK)
        return false;
    size_t resident = kernel_as.resident_pages;
    struct trap_resolved r;
    how((volatile uint32_t *)page, &r);
    bool grew = kernel_as.resident_pages == resident + 1;
    as_deallocate(&kernel_as, page, PG);
    return grew && r.before == 0 && r.after == 0x5eed && r.autocommit_faults == 1 &&
           r.deferred == 0 && r.state == T_RUNNING;
}

/* A section with interrupts still on: only np_depth says it is one. */
static void in_a_section(volatile uint32_t *p, struct trap_resolved *r)
{
    np_enter(NP_SYNC);
    touch_fresh_page(p, r);
    np_exit(NP_SYNC);
}

/* Interrupts off and no section: only the interrupted frame says so. */
static void with_interrupts_off(volatile uint32_t *p, struct trap_resolved *r)
{
    unsigned long irq = arch_irq_save();
    touch_fresh_page(p, r);
    arch_irq_restore(irq);
}

KTEST(sched_fault_in_np_section_is_resolved_in_the_trap)
{
    KT_ASSERT(thread_current() && !thread_current()->stack_grows);
    KT_ASSERT(resolved_in_the_trap(in_a_section));
}

KTEST(sched_fault_with_irqs_off_is_resolved_in_the_trap)
{
    KT_ASSERT(thread_current() && !thread_current()->stack_grows);
    KT_ASSERT(resolved_in_the_trap(with_interrupts_off));
}
