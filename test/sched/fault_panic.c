/* Fault paths that must end the machine (KSELFTESTs of
 * test/sched/guest/fault_panic.c): each must panic, with the message the
 * kernel's documentation promises. */
#include "../harness/guest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#define PANIC_TIMEOUT 30.0 /* a panic comes within a second of boot */

/* A thread's fault the helper cannot resolve for lack of memory panics
 * naming the address the guest said it touched. */
static void out_of_memory_fault_panics(const char *arch)
{
    struct guest_run run = guest_run_test(arch, "sched_fault_out_of_memory_panics", PANIC_TIMEOUT);
    cr_expect_eq(run.outcome, GUEST_PANIC, "%s: %s\n%s", guest_outcome_name(run.outcome),
                 run.verdict, run.log);
    const char *said = strstr(run.log, "fault test: touching ");
    unsigned long va = 0;
    cr_assert(said && sscanf(said, "fault test: touching %lx", &va) == 1, "%s", run.log);
    char want[128];
    snprintf(want, sizeof want, "PANIC: out of memory resolving a fault at %#lx in kernel", va);
    cr_expect(strstr(run.verdict, want) != NULL, "want \"%s\", verdict: %s", want, run.verdict);
    guest_run_free(&run);
}
BOTH_ARCHES(sched_fault_out_of_memory_panics, out_of_memory_fault_panics)
