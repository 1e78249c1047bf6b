/* test_fault: a user exception of each kind, which ends the process with
 * a report (process, thread, pc, address, reason, a backtrace that
 * tools/symbolize resolves against this program) and Windows' exit code;
 * the kernel runs on. The mode names the fault:
 *   null      a read of address 0, three calls deep (fault_depth_*)
 *   kernel    a write to kernel memory (the first address past the user range)
 *   illegal   an instruction that does not exist
 *   break     a breakpoint
 * and, with an exception handler (SetExceptionHandler):
 *   handled   writes to four reserved pages, each committed by the handler
 *             on its fault, which then continues: exit 0 once all four
 *             hold what was written
 *   unhandled a null read the handler declines: the process ends 0xC0000005
 *   nested    a handler that faults itself: the process ends 0xC0000005
 *   call      a kernel call's out buffer on a read-only page: the handler
 *             sees the exception as the call returns, makes the page
 *             writable and continues after the call: exit 0 */
#include <rialto.h>
#include <stdio.h>
#include <string.h>

#define PG 4096u

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

static ADDRESS region; /* four pages the handler commits on demand */
static int handled;

static int commit_on_demand(const EXCEPTION_RECORD *r)
{
    if (r->Code != 0xC0000005u || r->Access != 1 /* the writes below */ || r->Address < region ||
        r->Address >= region + 4 * PG)
        return EXCEPTION_CONTINUE_SEARCH;
    handled++;
    ADDRESS page = r->Address & ~(ADDRESS)(PG - 1);
    if (IAddressSpace_Commit(CurrentAddressSpace(), page, PG, AS_PROT_READ | AS_PROT_WRITE))
        return EXCEPTION_CONTINUE_SEARCH;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static int with_handler(const char *mode)
{
    IAddressSpace *as = CurrentAddressSpace();
    if (IAddressSpace_Reserve(as, &region, 4 * PG, AS_ANYWHERE))
        return 90;
    if (SetExceptionHandler(commit_on_demand))
        return 91;
    if (!strcmp(mode, "handled")) {
        for (unsigned k = 0; k < 4; k++)
            ((volatile unsigned *)region)[k * PG / 4 + 1] = 100 + k;
        for (unsigned k = 0; k < 4; k++)
            if (((volatile unsigned *)region)[k * PG / 4 + 1] != 100 + k)
                return 92;
        return handled == 4 ? 0 : 93;
    }
    if (!strcmp(mode, "unhandled"))
        return fault_depth_1();
    /* call: the kernel writes Query's result into a reserved page; the
     * handler commits it as the call returns, and the program goes on
     * after the call. */
    ADDR_REGION_INFO *info = (ADDR_REGION_INFO *)(region + 2 * PG);
    SCODE sc = IAddressSpace_Query(as, region, info);
    printf("test_fault: the call returned %#x after %d handled exception(s)\n", (unsigned)sc,
           handled);
    return handled == 1 ? 0 : 94;
}

static int nested_fault(const EXCEPTION_RECORD *r)
{
    (void)r;
    if (++handled > 1) /* the handler's own exception must not come back here */
        IProcess_Terminate(CurrentProcess(), 0xDEAD);
    return *null_pointer; /* an exception in the handler: the end */
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    printf("test_fault: %s\n", mode);
    if (!strcmp(mode, "handled") || !strcmp(mode, "unhandled") || !strcmp(mode, "call"))
        return with_handler(mode);
    if (!strcmp(mode, "nested")) {
        SetExceptionHandler(nested_fault);
        return fault_depth_1();
    }
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
