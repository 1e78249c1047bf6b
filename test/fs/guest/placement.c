/* The file system service (issue 18) in both placements: its one app
 * test, test_fs, passes with fs started in the kernel process and in a
 * process of its own, from the same binary, on the FAT16 image the
 * harness gives every fs_* test (HELLO.TXT in it); the process placement
 * gives back every page when its process ends. */
#include "../../proc/guest/run.h"
#include <IFile.h>
#include <kernel/ipc/names.h>
#include <kernel/ktest.h>
#include <kernel/loader/services.h>
#include <kernel/proc/process.h>

static int32_t test_fs(const char *where)
{
    return run_program(3, (const char *const[]){"test_fs", "all", where});
}

KTEST(fs_in_the_kernel)
{
    KT_ASSERT_EQ(service_start("fs", PLACE_KERNEL, 0), S_OK);
    KT_ASSERT(service_wait_ready("fs", 2000));
    KT_ASSERT_EQ(test_fs("kernel"), 0); /* the kernel process's heap and data pages, now made */
    ktest_rebaseline();                 /* the service stays for good */
    KT_ASSERT_EQ(test_fs("kernel"), 0);
}

KTEST(fs_in_a_process)
{
    struct process *p;
    KT_ASSERT_EQ(service_start("fs", PLACE_PROCESS, &p), S_OK);
    KT_ASSERT(p && service_wait_ready("fs", 2000));
    int32_t first = test_fs("process"), second = test_fs("process");
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
    KT_ASSERT_EQ(first, 0);
    KT_ASSERT_EQ(second, 0);
    IUnknown *gone;
    KT_ASSERT_EQ(names_lookup("fs", &IID_IUnknown, (void **)&gone), NAME_E_NOT_FOUND);
}
