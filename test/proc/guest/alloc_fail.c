/* Allocation failures in the guest (issue 14, item 3): a process making
 * kernel calls (apps/test_fuzz, a short fixed seed) runs once with each
 * heap allocation the kernel makes failing in turn, from the first to
 * the last the run makes: its start, its calls, its handles, argument
 * copies and the VM's page arrays and tree nodes among them. A failure
 * may end the process or fail its calls; nothing may panic, and the
 * runner's leak check finds every page and heap byte back after all. */
#include "run.h"
#include "test_object.h"
#include <kernel/ktest.h>
#include <kernel/kprintf.h>
#include <kernel/proc/process.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>

static uint64_t failures(void) /* the kernel's two heaps' */
{
    return kernel_heap.failures + kernel_as_heap.failures;
}

/* One run with the n-th allocation failing: whether the n-th came (and
 * then failed: one failure more, none otherwise). */
static bool run_failing(unsigned long n)
{
    struct process *p;
    const char *argv[] = {"test_fuzz", "7", "100"};
    uint64_t failed = failures();
    heap_fail_allocation(n);
    SCODE sc = process_spawn_with("test_fuzz", 3, argv, test_object(), &IID_ITestObject, &p);
    if (SUCCEEDED(sc)) {
        process_wait(p);
        process_release(p);
    }
    unsigned long ran = heap_fail_allocation(0);
    ITestObject *m = test_object_take_mail(); /* what the run may have left there */
    if (m)
        m->lpVtbl->Release(m);
    if (failures() - failed != (ran >= n))
        ktest_fail(__FILE__, __LINE__, "allocation %lu: %llu failures", n,
                   (unsigned long long)(failures() - failed));
    return ran >= n;
}

KTEST(user_calls_survive_each_heap_allocation_failing)
{
    unsigned long n = 1;
    while (n < 5000 && run_failing(n))
        n++;
    kprintf("alloc_fail: %lu heap allocations failed in turn\n", n - 1);
    KT_ASSERT(n > 1 && n < 5000);
}
