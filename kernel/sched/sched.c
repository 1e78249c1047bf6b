/* The scheduler (see <kernel/sched/sched.h>): one FIFO run queue per priority
 * and a bitmap of the non-empty ones; the decision is made when a trap
 * returns to preemptible code. */
#include <kernel/arch.h>
#include <kernel/vm/heap.h>
#include <kernel/panic.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/timer.h>
#include <kernel/vm/scratch.h>
#include <kernel/vm/trap.h>

static struct thread *runq_head[SCHED_NPRIO], *runq_tail[SCHED_NPRIO];
static uint32_t ready_mask;
struct thread *current_thread;  /* <kernel/sched/sched.h>: thread_current */
static struct thread *sleepers; /* thread_sleep_ticks, unordered */
static bool need_resched;
static int trap_depth;
static struct sched_stats stats;
static struct thread main_thread;
static struct thread *all_threads;
static struct thread *idle_thread;

static struct thread *create(const char *name, int prio, void (*entry)(void *), void *arg,
                             bool fixed_stack);

struct thread *thread_create(const char *name, int prio, void (*entry)(void *), void *arg)
{
    return create(name, prio, entry, arg, false);
}

struct thread *thread_create_system(const char *name, int prio, void (*entry)(void *), void *arg)
{
    return create(name, prio, entry, arg, true);
}

static void runq_push(struct thread *t)
{
    t->next = 0;
    if (runq_tail[t->prio])
        runq_tail[t->prio]->next = t;
    else
        runq_head[t->prio] = t;
    runq_tail[t->prio] = t;
    ready_mask |= 1u << t->prio;
}

static void runq_remove(struct thread *t)
{
    struct thread **p = &runq_head[t->prio], *prev = 0;
    while (*p && *p != t) {
        prev = *p;
        p = &(*p)->next;
    }
    if (!*p)
        return;
    *p = t->next;
    if (runq_tail[t->prio] == t)
        runq_tail[t->prio] = prev;
    if (!runq_head[t->prio])
        ready_mask &= ~(1u << t->prio);
}

static int top_ready_prio(void)
{
    return ready_mask ? 31 - __builtin_clz(ready_mask) : -1;
}

static struct thread *runq_pop(void)
{
    int p = top_ready_prio();
    struct thread *t = runq_head[p];
    runq_remove(t);
    return t;
}

/* A switch is due when a ready thread is more urgent than the running one. */
static void make_ready(struct thread *t)
{
    if (t->suspended) { /* stack_reclaim_all has it: queue it when done */
        t->state = T_BLOCKED;
        t->wake_pending = true;
        return;
    }
    t->state = T_READY;
    runq_push(t);
    if (current_thread && t->prio > current_thread->prio)
        need_resched = true;
}

void sched_init(void)
{
    main_thread = (struct thread){.name = "main", .base_prio = PRIO_NORMAL, .prio = PRIO_NORMAL};
    main_thread.state = T_RUNNING;
    current_thread = &main_thread;
    all_threads = &main_thread;
    idle_thread = thread_create_system("idle", PRIO_IDLE, sched_idle_main, 0);
    if (!idle_thread)
        panic("sched: no memory for the idle thread");
}

static void thread_trampoline(void)
{
    current_thread->entry(current_thread->arg);
    thread_exit();
}

static struct thread *alloc_thread(const char *name, int prio, bool fixed_stack)
{
    assert(prio >= 0 && prio < SCHED_NPRIO);
    struct thread *t = heap_alloc(&kernel_heap, sizeof *t);
    if (!t)
        return 0;
    *t = (struct thread){.name = name, .base_prio = prio, .prio = prio};
    if (!stack_alloc(t, fixed_stack)) {
        heap_free(&kernel_heap, t);
        return 0;
    }
    return t;
}

static void start_thread(struct thread *t)
{
    unsigned long irq = np_begin(NP_SCHED);
    t->next_all = all_threads;
    all_threads = t;
    make_ready(t);
    np_end(NP_SCHED, irq);
}

static struct thread *create(const char *name, int prio, void (*entry)(void *), void *arg,
                             bool fixed_stack)
{
    struct thread *t = alloc_thread(name, prio, fixed_stack);
    if (!t)
        return 0;
    t->entry = entry;
    t->arg = arg;
    arch_thread_init(&t->arch, thread_trampoline, t->stack_hi);
    start_thread(t);
    return t;
}

struct thread *thread_create_user(const char *name, int prio, struct as *as, void *process,
                                  void *object, uintptr_t pc, uintptr_t sp, uintptr_t arg)
{
    struct thread *t = alloc_thread(name, prio, false);
    if (!t)
        return 0;
    t->user_as = as;
    t->process = process;
    t->object = object;
    arch_thread_init_user(&t->arch, pc, sp, arg);
    start_thread(t);
    return t;
}

void sched_preempt_point(void)
{
    if (need_resched && current_thread)
        arch_yield();
}

void thread_yield(void)
{
    stats.yields++;
    need_resched = true;
    arch_yield();
}

void sched_block(void)
{
    current_thread->state = T_BLOCKED;
    need_resched = true;
}

/* Give up the processor after sched_block: only possible from preemptible
 * code, so blocking inside a non-preemptible section (or with interrupts
 * off, or in a trap) is a bug and panics rather than spinning forever. */
void sched_yield_blocked(void)
{
    if (np_active() || !arch_irq_enabled() || trap_depth > 0)
        panic("%s blocks in non-preemptible code", current_thread->name);
    arch_yield();
}

void sched_wake(struct thread *t)
{
    if (t->state == T_BLOCKED)
        make_ready(t);
}

void thread_exit(void)
{
    unsigned long irq = np_begin(NP_SCHED);
    current_thread->state = T_DEAD;
    if (current_thread->joiner)
        sched_wake(current_thread->joiner);
    need_resched = true;
    np_end(NP_SCHED, irq);
    sched_yield_blocked(); /* never comes back: nothing makes a dead thread ready */
    panic("thread_exit: a dead thread ran again");
}

unsigned long sched_wait(enum np_kind kind, unsigned long irq)
{
    sched_block();
    np_end(kind, irq);
    sched_yield_blocked();
    return np_begin(kind);
}

void thread_join(struct thread *t)
{
    unsigned long irq = np_begin(NP_SCHED);
    while (t->state != T_DEAD) {
        t->joiner = current_thread;
        irq = sched_wait(NP_SCHED, irq);
    }
    for (struct thread **p = &all_threads; *p; p = &(*p)->next_all) {
        if (*p == t) {
            *p = t->next_all;
            break;
        }
    }
    np_end(NP_SCHED, irq);
    stack_free(t);
    heap_free(&kernel_heap, t);
}

void thread_sleep_ticks(uint64_t ticks)
{
    unsigned long irq = np_begin(NP_SCHED);
    current_thread->wake_tick = timer_ticks() + ticks;
    while (timer_ticks() < current_thread->wake_tick) {
        current_thread->sleep_next = sleepers;
        sleepers = current_thread;
        irq = sched_wait(NP_SCHED, irq);
    }
    np_end(NP_SCHED, irq);
}

static void remove_sleeper(struct thread *t)
{
    for (struct thread **p = &sleepers; *p; p = &(*p)->sleep_next) {
        if (*p == t) {
            *p = t->sleep_next;
            return;
        }
    }
}

unsigned long sched_wait_interruptible(enum np_kind kind, unsigned long irq, uint64_t deadline)
{
    struct thread *self = current_thread;
    if (self->kill_fn)
        return irq;
    if (deadline) {
        self->wake_tick = deadline;
        self->sleep_next = sleepers;
        sleepers = self;
    }
    self->interruptible = true;
    irq = sched_wait(kind, irq);
    self->interruptible = false;
    if (deadline)
        remove_sleeper(self);
    return irq;
}

bool sched_wait_goes_on(uint64_t deadline)
{
    return !current_thread->kill_fn && (!deadline || timer_ticks() < deadline);
}

void sched_set_effective_priority(struct thread *t, int prio)
{
    if (t->prio == prio)
        return;
    bool queued = t->state == T_READY;
    if (queued)
        runq_remove(t);
    t->prio = prio;
    if (queued)
        make_ready(t);
    else if (t == current_thread && top_ready_prio() > prio)
        need_resched = true;
}

void sched_enqueue_waiter(struct thread **queue, struct thread *t)
{
    while (*queue && (*queue)->prio >= t->prio)
        queue = &(*queue)->next;
    t->next = *queue;
    *queue = t;
}

struct thread *sched_dequeue_waiter(struct thread **queue)
{
    struct thread *t = *queue;
    if (t)
        *queue = t->next;
    return t;
}

void sched_remove_waiter(struct thread **queue, struct thread *t)
{
    while (*queue && *queue != t)
        queue = &(*queue)->next;
    if (*queue)
        *queue = t->next;
}

/* Wake the sleepers whose time has come (from the timer interrupt). */
static void wake_sleepers(uint64_t now)
{
    for (struct thread **p = &sleepers; *p;) {
        struct thread *t = *p;
        if (t->wake_tick <= now) {
            *p = t->sleep_next;
            sched_wake(t);
        } else {
            p = &t->sleep_next;
        }
    }
}

void sched_tick(void)
{
    if (!current_thread)
        return;
    wake_sleepers(timer_ticks());
    if (top_ready_prio() >= current_thread->prio) /* the time slice is over */
        need_resched = true;
}

/* A trap runs with interrupts off from its entry to its exit: a stretch
 * of its own when what it interrupted had them on (issue 14, item 5);
 * otherwise a part of the stretch already open. */
void sched_trap_enter(const struct trap_frame *tf)
{
    trap_depth++;
    if (arch_frame_irq_enabled(tf))
        np_enter_irqoff(NP_INTERRUPT);
    else
        np_enter(NP_INTERRUPT);
}

bool sched_in_trap(void)
{
    return trap_depth > 0;
}

bool sched_trap_outermost(void)
{
    return trap_depth == 1;
}

/* What the next thread needs of the machine: its user space active, and
 * its kernel stack where a trap from its user mode lands. */
static void switch_spaces(struct thread *next)
{
    vm_scratch_clear(); /* paper 3.4.1: no scratch mapping outlives its thread's turn */
    if (next->user_as && next->user_as != current_as)
        vm_activate(next->user_as);
    arch_set_kernel_stack(next->stack_hi);
}

/* Switch to the most urgent ready thread if the trap returns to a place
 * where that is allowed. The running thread keeps the processor when
 * nothing ready is at least as urgent. */
void thread_kill(struct thread *t, void (*fn)(void *))
{
    unsigned long irq = np_begin(NP_SCHED);
    t->kill_fn = fn;
    if (t->interruptible)
        sched_wake(t);
    np_end(NP_SCHED, irq);
}

/* A killed thread about to resume user mode resumes its kill_fn instead. */
static struct trap_frame *divert_killed(struct trap_frame *f)
{
    if (trap_depth == 0 && current_thread && current_thread->kill_fn && arch_frame_from_user(f)) {
        void (*fn)(void *) = current_thread->kill_fn;
        current_thread->kill_fn = 0;
        arch_frame_call_kernel(f, fn, 0, current_thread->stack_hi);
    }
    return f;
}

static struct trap_frame *pick_frame(struct trap_frame *tf)
{
    np_exit(NP_INTERRUPT);
    trap_depth--;
    if (!current_thread || trap_depth > 0 || !need_resched || np_active() ||
        !arch_frame_preemptible(tf))
        return tf;
    need_resched = false;
    struct thread *prev = current_thread;
    if (prev->state == T_RUNNING) {
        if (top_ready_prio() < prev->prio)
            return tf;
        stats.preemptions++;
        make_ready(prev);
    }
    struct thread *next = runq_pop();
    next->state = T_RUNNING;
    current_thread = next;
    uint64_t now = arch_cycles();
    prev->cycles += now - prev->ran_since;
    next->ran_since = now;
    stats.switches++;
    switch_spaces(next);
    arch_thread_save(&prev->arch, tf);
    return arch_thread_frame(&next->arch);
}

struct trap_frame *sched_trap_exit(struct trap_frame *tf)
{
    return divert_killed(pick_frame(tf));
}

void sched_get_stats(struct sched_stats *s)
{
    *s = stats;
}

/* Keep t off the processor (it may be ready or blocked, not running). */
void sched_suspend(struct thread *t)
{
    unsigned long irq = np_begin(NP_SCHED);
    t->suspended = true;
    if (t->state == T_READY) {
        runq_remove(t);
        t->state = T_BLOCKED;
        t->wake_pending = true;
    }
    np_end(NP_SCHED, irq);
}

void sched_resume(struct thread *t)
{
    unsigned long irq = np_begin(NP_SCHED);
    t->suspended = false;
    if (t->wake_pending) {
        t->wake_pending = false;
        make_ready(t);
    }
    np_end(NP_SCHED, irq);
}

uint64_t sched_thread_cycles(struct thread *t)
{
    unsigned long irq = arch_irq_save(); /* 64-bit reads are two loads */
    uint64_t c = t->cycles + (t == current_thread ? arch_cycles() - t->ran_since : 0);
    arch_irq_restore(irq);
    return c;
}

uint64_t sched_idle_cycles(void)
{
    return sched_thread_cycles(idle_thread);
}

struct thread *sched_all_threads(void)
{
    return all_threads;
}
