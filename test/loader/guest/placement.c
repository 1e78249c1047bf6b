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
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>

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
