/* Kernel threads and the preemptive priority scheduler (paper 3.2.2).
 *
 * Threads have a priority (0, the idle thread, to SCHED_NPRIO - 1); the
 * highest-priority ready thread runs, threads of equal priority share the
 * processor by the timer tick. A thread is switched only when a trap
 * (an interrupt, or the yield trap) returns to preemptible code: not
 * inside a non-preemptible section, not with interrupts off, not from a
 * nested trap. Code that makes a more urgent thread ready only asks for a
 * switch; it happens when the non-preemptible section ends.
 *
 * Every switch goes through a trap: the arch's trap handler returns the
 * frame to resume (sched_trap_exit), which is the interrupted thread's
 * or, after a switch, the next thread's. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <arch/thread.h>
#include <arch/trap.h>
#include <kernel/sched/np.h>
#include <kernel/trap.h>
#include <kernel/vm/pmem.h>
#include <stdbool.h>
#include <stdint.h>

#define SCHED_NPRIO          32
#define PRIO_IDLE            0
#define PRIO_NORMAL          16
#define THREAD_STACK_PAGES   2           /* fixed stacks of unmapped pages (system threads) */
#define THREAD_STACK_RESERVE (64 * 1024) /* growable stacks: the most a stack may grow to */
#define STACK_PROBE_DEPTH    2048        /* paper 3.4.2: probe 2K below the stack pointer */

enum thread_state { T_READY, T_RUNNING, T_BLOCKED, T_DEAD };

struct mutex;
struct as;

struct thread {
    struct arch_thread arch; /* the saved context (arch/thread.h) */
    const char *name;
    int base_prio; /* the priority it was given */
    int prio;      /* the effective one: base, or inherited */
    enum thread_state state;
    struct thread *next;       /* in a run queue or a wait queue */
    struct mutex *waiting_on;  /* for priority inheritance through chains */
    struct mutex *held;        /* mutexes held, newest first */
    uint64_t wake_tick;        /* thread_sleep_ticks */
    struct thread *sleep_next; /* among the sleepers (a sleeper may also be queued) */
    struct thread *joiner;     /* waiting in thread_join */
    void (*entry)(void *);
    void *arg;
    uintptr_t stack_lo, stack_hi; /* the stack: [lo, hi) */
    bool stack_grows;             /* auto-committed in kernel_as (else unmapped pages) */
    int probe_count;              /* open probed sections: nested ones do not probe again */
    bool suspended;               /* kept off the processor (stack_reclaim_all) */
    bool wake_pending;            /* made ready while suspended */
    struct thread *next_all;      /* every live thread */
    uint64_t cycles;    /* arch_cycles it has had the processor, to its last switch away */
    uint64_t ran_since; /* arch_cycles at its last switch in */
    /* a translation fault the fault helper resolves while this thread waits */
    struct as *fault_as;
    struct trap_frame fault_frame; /* a user fault it resolves itself (kernel/vm/trap.c) */
    uintptr_t fault_va;
    uint32_t fault_access;
    int32_t fault_error;
    /* user mode: the space it runs in (activated when it is switched to;
     * NULL for a kernel thread) and the process it belongs to */
    struct as *user_as;
    void *process;
    void *object; /* its IThread object (kernel/proc/thread_object.c) */
    /* set by thread_kill: where the thread goes instead of back to user mode */
    void (*kill_fn)(void *);
    bool reap; /* a dead user thread for its process's reaper to join */
    /* a kernel call touched a bad user address (the scratch page stood in):
     * the exception to raise when the call returns (paper 3.4.1) */
    bool fault_pending;
    uintptr_t pending_va;
    uint32_t pending_access;
    int pending_why; /* enum vm_exception */
    /* the user exception being reported (kernel/proc/uexception.c) */
    struct trap_info uexc;
    struct trap_frame uexc_frame; /* where the exception found it */
    bool in_exception_handler;    /* running its process's handler */
    bool continue_pending;        /* ContinueAfterException: resume uexc_frame */
    uintptr_t continue_pc;
    bool interruptible; /* in sched_wait_interruptible: thread_kill wakes it */
    /* a server thread of its process's pool (kernel/ipc/pool.c) */
    bool ipc_server;          /* counted in the pool */
    struct ipc_call *serving; /* the call it runs */
    struct thread *ipc_next;  /* the pool's idle list */
    void *ipc_spare;          /* a call record kept for its next call (kernel/ipc/call.c) */
};

/* Make the running boot context the thread "main" and start the idle
 * thread. Before this there are no threads: mutexes cannot block. */
void sched_init(void);

/* A new ready thread running entry(arg) at priority prio; NULL if out of
 * memory. It must be joined. */
struct thread *thread_create(const char *name, int prio, void (*entry)(void *), void *arg);
/* The same with a fixed stack of unmapped pages: for the idle thread and
 * the fault helper, which resolves stack faults and so must never take
 * one on its own stack. */
struct thread *thread_create_system(const char *name, int prio, void (*entry)(void *), void *arg);
/* A new ready thread of `process` (with its IThread `object`) that starts in user mode in space
 * `as` at pc, stack pointer sp, with arg in its first argument register; its kernel stack is
 * growable like any other. NULL if out of memory. */
struct thread *thread_create_user(const char *name, int prio, struct as *as, void *process,
                                  void *object, uintptr_t pc, uintptr_t sp, uintptr_t arg);
__attribute__((noreturn)) void thread_exit(void);
/* Make a user thread run fn in kernel mode (on its kernel stack) instead
 * of going back to user mode, the next time it would. */
void thread_kill(struct thread *t, void (*fn)(void *));
/* Wait for t to exit, then free it. */
void thread_join(struct thread *t);
void thread_yield(void);
void thread_sleep_ticks(uint64_t ticks);
/* The running thread (NULL before sched_init): inline, as every kernel
 * call asks. */
extern struct thread *current_thread;
static inline struct thread *thread_current(void)
{
    return current_thread;
}

/* Stacks (kernel/sched/stack.c). Both arches can take a fault on a kernel
 * thread's stack (traps run on the interrupt stack; x86 threads at ring 1),
 * so every stack is
 * auto-committed in the kernel's space, THREAD_STACK_RESERVE bytes above
 * a guard page, and grows by faults that the fault helper resolves
 * (system threads excepted: thread_create_system). Code
 * about to become non-preemptible, or to take a mutex the fault path
 * needs, first probes STACK_PROBE_DEPTH below the stack pointer so the
 * fault happens while it still may (stack_probe / stack_unprobe); a stack
 * fault that happens anyway in non-preemptible code is counted
 * (stack_unprobed_faults) and fails the guest test it happens in. */
bool stack_alloc(struct thread *t, bool fixed);
void stack_free(struct thread *t);
/* Decommit the stack pages of t below sp (less STACK_PROBE_DEPTH when t
 * has probed sections open); returns the pages released. t must not be
 * running, or be the caller. */
size_t stack_reclaim(struct thread *t, uintptr_t sp);
/* Reclaim every thread's unused stack pages (blocked threads below their
 * saved stack pointer, the caller below its own). */
size_t stack_reclaim_all(void);
bool stack_contains(const struct thread *t, uintptr_t va);
uint64_t stack_unprobed_faults(void);
void stack_count_unprobed_fault(void);

/* For the synchronization primitives (kernel/sync/mutex.c, semaphore.c), inside a
 * non-preemptible section: */
void sched_enqueue_waiter(struct thread **queue, struct thread *t); /* by priority */
struct thread *sched_dequeue_waiter(struct thread **queue);
void sched_remove_waiter(struct thread **queue, struct thread *t);
/* Mark the current thread blocked (it must be on some wait queue, or be
 * dead); it stops running at the next switch. */
void sched_block(void);
/* Then, out of the section and with interrupts on: switch away. */
void sched_yield_blocked(void);
/* Both, for a wait loop inside a section of `kind` begun with np_begin:
 * block, leave the section, switch away, and come back in it once woken
 * (returns the new np_begin value). */
unsigned long sched_wait(enum np_kind kind, unsigned long irq);
/* The same for a wait that thread_kill ends (the waiter must recheck
 * kill_fn) and that ends by itself when the tick `deadline` comes (0:
 * never). kind must be NP_SCHED: the sleepers and wait state are the
 * scheduler's. The waiter is on no wait queue: whoever ends the wait
 * knows the thread and wakes it with sched_wake. */
unsigned long sched_wait_interruptible(enum np_kind kind, unsigned long irq, uint64_t deadline);
/* Whether a sched_wait_interruptible loop goes on: the caller is not
 * being killed and the tick deadline (0: none) has not come. Every such
 * loop asks it: a killed thread's waits return at once, so a loop that
 * did not would spin, interrupts off, forever. */
bool sched_wait_goes_on(uint64_t deadline);
void sched_wake(struct thread *t);
/* Keep t (not the caller) off the processor until sched_resume, whatever
 * wakes it meanwhile (stack_reclaim_all, so its stack pointer stays put). */
void sched_suspend(struct thread *t);
void sched_resume(struct thread *t);
/* Every live thread, through next_all. */
struct thread *sched_all_threads(void);
/* Change t's effective priority, keeping its queue ordered. */
void sched_set_effective_priority(struct thread *t, int prio);

/* The arch's trap handlers bracket every trap with these. */
void sched_trap_enter(const struct trap_frame *tf);
struct trap_frame *sched_trap_exit(struct trap_frame *tf);
bool sched_in_trap(void);
/* In a trap taken directly from thread code (not a nested one). */
bool sched_trap_outermost(void);

/* Switch now if a switch is due (np_exit calls it as the outermost
 * non-preemptible section ends with interrupts on). */
void sched_preempt_point(void);

/* From the timer interrupt. */
void sched_tick(void);

/* idle.c: the idle thread's body. */
void sched_idle_main(void *arg);
/* A driver's wait with a timeout in guest time: the idle thread spins
 * instead of halting between sched_idle_pace(true) and (false). */
void sched_idle_pace(bool on);
/* The cycles (arch_cycles) a thread has had the processor, counted from
 * switch to switch: the interrupts it took count as its own. The idle
 * thread's are what a benchmark that waits for a device subtracts: under
 * -icount sleep=off a halt skips virtual time, which is not work. */
uint64_t sched_thread_cycles(struct thread *t);
uint64_t sched_idle_cycles(void);

struct sched_stats {
    uint64_t switches, preemptions, yields;
};
void sched_get_stats(struct sched_stats *s);

#endif
