/* Allocation failures in the guest (issue 14, item 3): a process making
 * kernel calls (apps/test_fuzz, a short fixed seed) runs once with each
 * allocation the kernel makes failing in turn, from the first to the
 * last the run makes, for each kind of allocation that can fail:
 *   - the kernel heap's (heap_fail_allocation): its start, its calls,
 *     its handles, argument copies, the VM's page arrays and tree nodes;
 *   - the VM's (vm_fail_allocation): physical pages (the program's
 *     image, stack and heap, kernel stacks), tree nodes, page arrays,
 *     sections;
 *   - handle insertions (handle_fail_insert): the start handles and
 *     every handle a call hands out.
 * A failure may end the process or fail its calls; nothing may panic,
 * the test object (its Extra handle) gets back every reference, and the
 * runner's leak check finds every page and heap byte back after all. */
#include "alloc_fail.h"
#include "test_object.h"
#include <kernel/ktest.h>
#include <kernel/kprintf.h>
#include <kernel/proc/handle.h>
#include <kernel/proc/process.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>

static uint64_t heap_failures(void) /* the kernel's two heaps' */
{
    return kernel_heap.failures + kernel_as_heap.failures;
}

const struct injection inject_heap = {"heap", heap_fail_allocation, heap_failures};
const struct injection inject_vm = {"VM", vm_fail_allocation, 0};
const struct injection inject_handle = {"handle", handle_fail_insert, 0};

/* One run with the n-th allocation failing: whether the n-th came (and
 * then failed: one failure more, none otherwise). */
static bool run_failing(const struct injection *inj, unsigned long n, void (*workload)(void))
{
    uint64_t failed = inj->failures ? inj->failures() : 0;
    uint32_t refs = test_object_refs();
    inj->arm(n);
    workload();
    unsigned long ran = inj->arm(0);
    ITestObject *m = test_object_take_mail(); /* what the run may have left there */
    if (m)
        m->lpVtbl->Release(m);
    if (inj->failures && inj->failures() - failed != (ran >= n))
        ktest_fail(__FILE__, __LINE__, "%s allocation %lu: %llu failures", inj->what, n,
                   (unsigned long long)(inj->failures() - failed));
    if (test_object_refs() != refs)
        ktest_fail(__FILE__, __LINE__,
                   "%s allocation %lu: the test object has %u references, not %u", inj->what, n,
                   (unsigned)test_object_refs(), (unsigned)refs);
    return ran >= n;
}

void fail_each_allocation(const struct injection *inj, void (*workload)(void), const char *name)
{
    unsigned long n = 1;
    while (n < 5000 && run_failing(inj, n, workload))
        n++;
    kprintf("%s: %lu %s allocations failed in turn\n", name, n - 1, inj->what);
    KT_ASSERT(n > 1 && n < 5000);
}

static void fuzz_calls(const char *calls)
{
    struct process *p;
    const char *argv[] = {"test_fuzz", "7", calls};
    SCODE sc = process_spawn_with("test_fuzz", 3, argv, test_object(), &IID_ITestObject, &p);
    if (SUCCEEDED(sc)) {
        process_wait(p);
        process_release(p);
    }
}

static void fuzz(void)
{
    fuzz_calls("100");
}

/* The VM's allocations are nearly all the process's start and end (180
 * of them), and each run costs the host about 0.1 s (x86) whatever the
 * calls: ten calls keep the runs at that. */
static void fuzz_short(void)
{
    fuzz_calls("10");
}

KTEST(user_calls_survive_each_heap_allocation_failing)
{
    fail_each_allocation(&inject_heap, fuzz, "alloc_fail");
}

KTEST(user_calls_survive_each_vm_allocation_failing)
{
    fail_each_allocation(&inject_vm, fuzz_short, "alloc_fail");
}

/* The first five are the start handles (process_create's give_handles):
 * a failed one's reference must go back, the Extra one's included. */
KTEST(user_calls_survive_each_handle_insertion_failing)
{
    fail_each_allocation(&inject_handle, fuzz, "alloc_fail");
}

/* A start handle that cannot be inserted fails the spawn: the process
 * would start without one of its handles (the error must not be lost). */
KTEST(spawn_fails_when_a_start_handle_cannot_be_inserted)
{
    const char *argv[] = {"test_fuzz", "7", "1"};
    for (unsigned long n = 1; n <= 5; n++) { /* process.c's START_HANDLES */
        struct process *p = 0;
        handle_fail_insert(n);
        SCODE sc = process_spawn_with("test_fuzz", 3, argv, test_object(), &IID_ITestObject, &p);
        unsigned long ran = handle_fail_insert(0);
        if (SUCCEEDED(sc)) {
            process_wait(p);
            process_release(p);
        }
        if (ran < n || SUCCEEDED(sc))
            ktest_fail(__FILE__, __LINE__, "start handle %lu: %lu insertions, spawn %#x", n, ran,
                       (unsigned)sc);
    }
}
