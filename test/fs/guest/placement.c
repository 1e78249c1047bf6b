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

/* test_fs twice with fs in the kernel: the first makes the kernel
 * process's heap and data pages, then the baseline is taken again (the
 * service stays for good). */
static void in_the_kernel(void)
{
    KT_ASSERT_EQ(service_start("fs", PLACE_KERNEL, 0), S_OK);
    KT_ASSERT(service_wait_ready("fs", 2000));
    KT_ASSERT_EQ(test_fs("kernel"), 0);
    ktest_rebaseline();
    KT_ASSERT_EQ(test_fs("kernel"), 0);
}

/* test_fs twice with fs in a process, which then ends and gives back
 * every page and its name. */
static void in_a_process(void)
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

/* FAT16 in both placements; FAT12 and FAT32 (the harness's images for
 * names ending _fat12, _fat32) one placement each. */
KTEST(fs_in_the_kernel)
{
    in_the_kernel();
}

KTEST(fs_in_a_process)
{
    in_a_process();
}

KTEST(fs_in_the_kernel_fat32)
{
    in_the_kernel();
}

KTEST(fs_in_a_process_fat12)
{
    in_a_process();
}
