/* The report a user exception leaves on the console (kernel/proc/
 * uexception.c) names the process, the fault and the address, and its
 * backtrace symbolizes against the program's ELF with tools/symbolize:
 * frame #0 is the faulting function and its callers follow, on both
 * arches (x86 follows the ebp chain, MIPS scans the user code's
 * prologues as the kernel's own walk does). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/guest.h"

/* "apps/test_fault/test_fault.c:N": the line of fault_depth_3's read. */
static const char *faulting_line(void)
{
    static char where[64];
    FILE *f = fopen(SRCDIR "/apps/test_fault/test_fault.c", "r");
    cr_assert_not_null(f);
    char line[256];
    for (int n = 1; fgets(line, sizeof line, f); n++) {
        if (strstr(line, "return *null_pointer;")) {
            snprintf(where, sizeof where, "apps/test_fault/test_fault.c:%d:", n);
            break;
        }
    }
    fclose(f);
    return where;
}

static void report_symbolizes(const char *arch)
{
    struct guest_run run = guest_run_test(arch, "user_fault_null_read", 0);
    cr_assert_eq(run.outcome, GUEST_PASS, "%s", run.log);
    cr_expect(strstr(run.log, "process test_fault (") &&
                  strstr(run.log, "thread test_fault: page fault (read of 0,"),
              "%s", run.log);
    char elf[512];
    snprintf(elf, sizeof elf, "%s/%s/apps/test_fault", BUILDDIR, arch);
    char *out = guest_symbolized_against(elf, &run);
    const char *where = faulting_line();
    cr_expect(strstr(out, "#0 ") && strstr(out, "fault_depth_3 ") && strstr(out, where),
              "frame #0 is the faulting function, at %s:\n%s", where, out);
    cr_expect(strstr(out, "#1 ") && strstr(out, "fault_depth_2 ") && strstr(out, "#2 ") &&
                  strstr(out, "fault_depth_1 "),
              "the callers follow:\n%s", out);
    free(out);
    guest_run_free(&run);
}

BOTH_ARCHES(user_fault_report_symbolizes, report_symbolizes)
