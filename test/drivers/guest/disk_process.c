/* The disk from a process: apps/test_disk calls "disk0" through the
 * kernel-call path (reads, the largest transfer, writes read back, the
 * error codes). Named disk_*, so the harness attaches the image. */
#include "../../proc/guest/run.h"
#include <kernel/ktest.h>

KTEST(disk_from_a_process)
{
    KT_ASSERT_EQ(run_program(1, (const char *const[]){"test_disk"}), 0);
}
