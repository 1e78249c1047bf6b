/* The fault helper (paper 3.4.2): a kernel thread that resolves the
 * copy-on-write and auto-commit faults of threads, which cannot resolve
 * their own inside the trap (resolution may wait for the address space's
 * mutex, or for memory). The faulting thread is blocked in the trap and
 * queued here by priority; the helper, the most urgent thread there is,
 * resolves the fault in thread context and wakes it, and the faulting
 * access is retried. A fault that cannot wait (a nested trap, or taken in
 * non-preemptible code) is still resolved in the trap. */
#include <kernel/arch.h>
#include <kernel/sched/sched.h>
#include <kernel/sync/semaphore.h>
#include <kernel/vm/trap.h>

static struct thread *helper;
static struct thread *waiting; /* faulting threads, most urgent first */
static struct semaphore pending;
static uint64_t deferred;
static volatile bool reclaim_due, tidy_due;
static uint64_t reclaimed_pages;

bool vm_defer_fault(struct trap_frame *tf, struct as *as, vaddr_t va, uint32_t access)
{
    struct thread *t = thread_current();
    /* the trap's own section is the only one open if the faulting code
     * was preemptible */
    if (!helper || !t || t == helper || !sched_trap_outermost() || np_depth() != 1 ||
        !arch_frame_preemptible(tf))
        return false;
    t->fault_as = as;
    t->fault_va = va;
    t->fault_access = access;
    t->fault_error = S_OK;
    sched_enqueue_waiter(&waiting, t);
    sched_block();
    sem_up(&pending);
    deferred++;
    return true;
}

static void helper_main(void *arg)
{
    (void)arg;
    for (;;) {
        sem_down(&pending);
        if (reclaim_due) {
            reclaim_due = false;
            reclaimed_pages += stack_reclaim_all();
        }
        if (tidy_due) {
            tidy_due = false;
            vtlb_tidy();
        }
        unsigned long irq = np_begin(NP_SCHED);
        struct thread *t = sched_dequeue_waiter(&waiting);
        np_end(NP_SCHED, irq);
        if (!t)
            continue; /* woken to reclaim only */
        SCODE sc = vm_resolve_fault_of(t, t->fault_as, t->fault_va, t->fault_access);
        irq = np_begin(NP_SCHED);
        t->fault_error = sc;
        sched_wake(t);
        np_end(NP_SCHED, irq);
    }
}

void vm_fault_helper_start(void)
{
    sem_init(&pending, "faults", 0);
    helper = thread_create_system("fault helper", SCHED_NPRIO - 1, helper_main, 0);
    if (!helper)
        panic("no memory for the fault helper");
}

uint64_t vm_faults_deferred(void)
{
    return deferred;
}

/* From the timer, once a second: the helper trims every thread's stack
 * below its stack pointer (paper 3.4.2), in thread context. */
void vm_request_stack_reclaim(void)
{
    if (!helper || reclaim_due)
        return;
    reclaim_due = true;
    sem_up(&pending);
}

void vm_request_vtlb_tidy(void)
{
    if (!helper || tidy_due)
        return;
    tidy_due = true;
    sem_up(&pending);
}

uint64_t vm_stack_pages_reclaimed(void)
{
    return reclaimed_pages;
}
