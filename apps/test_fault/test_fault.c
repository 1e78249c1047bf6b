/* test_fault: a user exception of each kind, which ends the process with
 * a report (process, thread, pc, address, reason, a backtrace that
 * tools/symbolize resolves against this program) and Windows' exit code;
 * the kernel runs on. The mode names the fault:
 *   null      a read of address 0, three calls deep (fault_depth_*)
 *   kernel    a write to kernel memory (the first address past the user range)
 *   illegal   an instruction that does not exist
 *   break     a breakpoint */
#include <stdio.h>
#include <string.h>

static volatile int *volatile null_pointer;

__attribute__((noinline)) static int fault_depth_3(void)
{
    return *null_pointer;
}

__attribute__((noinline)) static int fault_depth_2(void)
{
    return fault_depth_3() + 1;
}

__attribute__((noinline)) static int fault_depth_1(void)
{
    return fault_depth_2() + 1;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    printf("test_fault: %s\n", mode);
    if (!strcmp(mode, "null"))
        return fault_depth_1();
    if (!strcmp(mode, "kernel"))
        *(volatile int *)0x80001000 = 1;
    if (!strcmp(mode, "illegal"))
        __asm__ volatile(".byte 0xff, 0xff, 0xff, 0xff"); /* no such instruction on either arch */
    if (!strcmp(mode, "break"))
        __builtin_debugtrap(); /* int3, break */
    return 99;                 /* no fault: the test fails */
}
