/* Faults the kernel must end on, on both arches: KSELFTESTs, whose panic
 * test/sched/fault_panic.c checks from the host (a machine that panics
 * gives no verdict of its own). */
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/sched/sched.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/trap.h>
#include <kernel/vm/vm.h>

/* The thread's own stack is already in place (kprintf used more of it
 * than the access will), so the one allocation that fails is the page
 * its fault on p needs, which the fault helper tries to allocate. */
static void fault_without_memory(void *arg)
{
    volatile uint32_t *p = arg;
    kprintf("fault test: touching %#lx with no memory for it\n", (unsigned long)(uintptr_t)p);
    vm_fail_allocation(1);
    (void)*p;
    vm_fail_allocation(0);
    kprintf("fault test: the access returned\n");
}

/* A thread's auto-commit fault that the helper cannot resolve for lack of
 * memory must panic (out of memory resolving a fault), not retry: the
 * error travels from the helper to the thread's retried trap. */
KSELFTEST(sched_fault_out_of_memory_panics)
{
    vaddr_t page = 0;
    KT_ASSERT_EQ(as_allocate(&kernel_as, &page, PAGE_SIZE,
                             AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO),
                 S_OK);
    uint64_t deferred = vm_faults_deferred();
    struct thread *t =
        thread_create("no memory", PRIO_NORMAL - 1, fault_without_memory, (void *)page);
    KT_ASSERT(t != 0);
    thread_join(t);
    /* the machine should have ended before this */
    KT_ASSERT(vm_faults_deferred() > deferred); /* it did reach the helper */
    ktest_fail(__FILE__, __LINE__, "the fault's out-of-memory error was dropped");
}
