/* Placement (issue 11): the one app test of the sample service, test_kv,
 * passes with the service started in the kernel process and started in a
 * process of its own, from the same binary; and the process placement
 * gives back every page when the service's process ends (its image
 * included: nothing else uses it). */
#include "../../proc/guest/run.h"
#include "loaded.h"
#include <IKeyValue.h>
#include <kernel/ipc/names.h>
#include <kernel/ktest.h>
#include <kernel/loader/services.h>
#include <kernel/proc/kernel_process.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>

static int32_t test_kv(const char *where)
{
    return run_program(3, (const char *const[]){"test_kv", "all", where});
}

KTEST(placement_kv_in_the_kernel)
{
    KT_ASSERT_EQ(service_start("kv", PLACE_KERNEL, 0), S_OK);
    KT_ASSERT(kv_registered());
    KT_ASSERT_EQ(test_kv("kernel"), 0); /* the kernel process's heap and data pages, now made */
    ktest_rebaseline();                 /* the service stays for good */
    KT_ASSERT_EQ(test_kv("kernel"), 0);
    /* a second copy cannot load over the first: its addresses are taken */
    KT_ASSERT_EQ(service_start("kv", PLACE_KERNEL, 0), LDR_E_ADDRESS_TAKEN);
}

KTEST(placement_kv_in_a_process)
{
    struct process *p;
    KT_ASSERT_EQ(service_start("kv", PLACE_PROCESS, &p), S_OK);
    KT_ASSERT(p && kv_registered());
    int32_t first = test_kv("process"), second = test_kv("process");
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
    KT_ASSERT_EQ(first, 0);
    KT_ASSERT_EQ(second, 0);
    IUnknown *gone;
    KT_ASSERT_EQ(names_lookup("kv", &IID_IUnknown, (void **)&gone), NAME_E_NOT_FOUND);
}

static bool thread_named(const char *name)
{
    for (struct thread *t = sched_all_threads(); t; t = t->next_all)
        if (!strcmp(t->name, name))
            return true;
    return false;
}

/* A service whose main returns in the kernel ends its own thread (the
 * kernel process does not end), and the reaper joins it: here kv finds
 * its name taken, says so and returns 1. Its image stays mapped. */
KTEST(placement_kernel_service_that_returns_ends_its_thread)
{
    KT_ASSERT_EQ(names_register("kv", name_service_object(), 0), S_OK);
    SCODE sc = service_start("kv", PLACE_KERNEL, 0);
    bool ended = false;
    for (int i = 0; SUCCEEDED(sc) && i < 200 && !ended; i++, thread_sleep_ticks(1))
        ended = !thread_named("kv");
    names_unregister("kv", 0);
    ktest_rebaseline(); /* the image stays in kernel_as for good */
    KT_ASSERT_EQ(sc, S_OK);
    KT_ASSERT(ended);
}

/* A program linked for the user's low addresses cannot go into the
 * kernel process: kernel_as is the overlap region only. */
KTEST(placement_a_program_outside_the_overlap_stays_out_of_the_kernel)
{
    KT_ASSERT_EQ(service_start("hello", PLACE_KERNEL, 0), LDR_E_OUT_OF_RANGE);
}

static bool kernel_threads_gone(void)
{
    for (int i = 0; i < 200; i++, thread_sleep_ticks(1))
        if (!thread_named("kernel process"))
            return true;
    return false;
}

/* The runtime's CreateThread and IThread::Join in the kernel process: kv
 * registers only after a thread it started (a kernel thread with an
 * IThread) ended with the right exit code and was joined; the thread is
 * reaped. */
KTEST(placement_kernel_service_threads)
{
    const char *const argv[] = {"kv", "--register-after-a-thread"};
    KT_ASSERT_EQ(kernel_process_start("kv", 2, argv, 0), S_OK);
    KT_ASSERT(kv_registered());
    KT_ASSERT(kernel_threads_gone());
    KT_ASSERT_EQ(test_kv("kernel"), 0); /* its heap and data pages, now made */
    ktest_rebaseline();                 /* the service stays for good */
    KT_ASSERT_EQ(test_kv("kernel"), 0);
}

/* The same binary and option in a process: its runtime's threads. */
KTEST(placement_process_service_threads)
{
    struct process *p;
    const char *const argv[] = {"kv", "--register-after-a-thread"};
    KT_ASSERT_EQ(process_spawn("kv", 2, argv, &p), S_OK);
    bool ready = kv_registered();
    int32_t code = ready ? test_kv("process") : -1;
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
    KT_ASSERT(ready);
    KT_ASSERT_EQ(code, 0);
}
