/* The harness checks itself: guest tests that fail, panic, hang or leak on
 * purpose (KSELFTEST in test/harness/guest/selftest.c) must each be reported as
 * such, within the timeout. */
#include "guest.h"

#include <criterion/criterion.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HANG_TIMEOUT 5.0

static bool log_matches(const char *log, const char *pattern)
{
    regex_t re;
    cr_assert_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE), 0, "%s", pattern);
    bool m = regexec(&re, log, 0, NULL, 0) == 0;
    regfree(&re);
    return m;
}

/* Every frame of every backtrace in a symbolized log has a file and a
 * line (tools/symbolize appends "FUNCTION FILE:LINE:COLUMN"; line 0 is
 * code the compiler did not attribute to one). */
static void expect_frames_resolve(const char *arch, const char *log)
{
    int frames = 0;
    for (const char *p = log; (p = strstr(p, "\n  #")); p++) {
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)strcspn(p + 1, "\n"), p + 1);
        frames++;
        cr_expect(log_matches(line, "^  #[0-9]+ 0x[0-9a-f]+  [^ ]+ [^ ]+:[1-9][0-9]*:[0-9]+$"),
                  "%s: a frame without file and line: '%s'\n%s", arch, line, log);
    }
    cr_expect_gt(frames, 0, "%s: no backtrace:\n%s", arch, log);
}

/* The instruction at addr in kernel, disassembled ("jal ... <f>"). */
static void instruction_at(const char *kernel, unsigned long addr, char *out, size_t size)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "llvm-objdump -d --no-show-raw-insn --start-address=%#lx --stop-address=%#lx '%s' | "
             "tail -n 1",
             addr, addr + 1, kernel);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    pclose(p);
}

static struct guest_run run_selftest(const char *arch, const char *name, double timeout)
{
    struct guest_run run = guest_run_test(arch, name, timeout);
    cr_log_info("%s %s: %s in %.1f s (%s)", arch, name, guest_outcome_name(run.outcome),
                run.seconds, run.verdict);
    return run;
}

/* Self-test `name` ends as `outcome`, with `part` in its verdict line. */
static void expect_verdict(const char *arch, const char *name, enum guest_outcome outcome,
                           const char *part)
{
    struct guest_run run = run_selftest(arch, name, 0);
    cr_expect_eq(run.outcome, outcome, "%s", run.log);
    cr_expect(strstr(run.verdict, part) != NULL, "verdict: %s", run.verdict);
    guest_run_free(&run);
}

static void detects_failure(const char *arch)
{
    expect_verdict(arch, "selftest_fail", GUEST_FAIL, "fail: test/harness/guest/selftest.c:");
}
BOTH_ARCHES(harness_detects_failure, detects_failure)

static void detects_panic(const char *arch)
{
    struct guest_run run = run_selftest(arch, "selftest_panic", 0);
    cr_expect_eq(run.outcome, GUEST_PANIC, "%s", run.log);
    cr_expect(strstr(run.verdict, "PANIC: deliberate panic") != NULL, "verdict: %s", run.verdict);
    /* x86 reports the kernel's status (panic's is 2) through tools/qemu;
     * malta has no way to, so QEMU's 0 stands */
    cr_expect_eq(run.exit_status, strcmp(arch, "x86") == 0 ? 2 : 0, "%s: exit status %d", arch,
                 run.exit_status);
    char *log = guest_symbolized_log(arch, &run);
    cr_expect(strstr(log, "ktest_fn_selftest_panic") != NULL,
              "the backtrace names the panicking function:\n%s", log);
    expect_frames_resolve(arch, log);
    /* frame #0 of a panic without a trap is its call to arch_unwind_here
     * (not the return address after it, which may be another line) */
    const char *f0 = strstr(run.log, "\n  #0 ");
    cr_assert_not_null(f0, "%s", run.log);
    char insn[512];
    instruction_at(run.kernel, strtoul(f0 + 6, NULL, 16), insn, sizeof insn);
    cr_expect((strstr(insn, "call") || strstr(insn, "jal")) && strstr(insn, "<arch_unwind_here>"),
              "%s: frame #0 is not the call: %s", arch, insn);
    /* from panic's call to the boot code, each at its file and line */
    static const char *const chain[] = {
        " panic .*/kernel/panic\\.c:[1-9]",
        " ktest_fn_selftest_panic .*/test/harness/guest/selftest\\.c:[1-9]",
        " run_test .*/kernel/ktest\\.c:[1-9]",
        " kmain .*/kernel/main\\.c:[1-9]",
    };
    for (size_t i = 0; i < sizeof chain / sizeof chain[0]; i++) {
        char frame[256];
        snprintf(frame, sizeof frame, "^  #%zu 0x[0-9a-f]+ %s", i, chain[i]);
        cr_expect(log_matches(log, frame), "%s: frame #%zu is%s:\n%s", arch, i, chain[i], log);
    }
    free(log);
    guest_run_free(&run);
}
BOTH_ARCHES(harness_detects_panic, detects_panic)

static void backtrace_walks_a_thread_stack(const char *arch)
{
    struct guest_run run = run_selftest(arch, "selftest_thread_panic", 0);
    cr_expect_eq(run.outcome, GUEST_PANIC, "%s", run.log);
    char *log = guest_symbolized_log(arch, &run);
    cr_expect(strstr(log, "thread_panics") != NULL && strstr(log, "thread_panic_main") != NULL,
              "the backtrace goes from the panic to the thread's entry:\n%s", log);
    expect_frames_resolve(arch, log);
    free(log);
    guest_run_free(&run);
}
BOTH_ARCHES(harness_backtrace_walks_a_thread_stack, backtrace_walks_a_thread_stack)

static void detects_hang(const char *arch)
{
    struct guest_run run = run_selftest(arch, "selftest_hang", HANG_TIMEOUT);
    cr_expect_eq(run.outcome, GUEST_TIMEOUT, "%s", run.log);
    cr_expect_lt(run.seconds, HANG_TIMEOUT + 3.0, "killed promptly (%.1f s)", run.seconds);
    cr_expect(strstr(run.log, "ktest: run selftest_hang") != NULL, "it did start:\n%s", run.log);
    guest_run_free(&run);
}
BOTH_ARCHES(harness_detects_hang, detects_hang)

static void detects_leak(const char *arch)
{
    expect_verdict(arch, "selftest_leak", GUEST_FAIL, "free pages");
}
BOTH_ARCHES(harness_detects_leak, detects_leak)

static void detects_heap_leak(const char *arch)
{
    expect_verdict(arch, "selftest_heap_leak", GUEST_FAIL, "heap kernel: ");
}
BOTH_ARCHES(harness_detects_heap_leak, detects_heap_leak)

static void detects_unknown_test(const char *arch)
{
    expect_verdict(arch, "no_such_test", GUEST_FAIL, "no such test");
}
BOTH_ARCHES(harness_detects_unknown_test, detects_unknown_test)

/* A kernel access to an unmapped address is an exception with no handler:
 * it must panic naming the fault and address, dump the registers, and
 * give a backtrace that symbolizes to the faulting function. */
static void kernel_fault_panics(const char *arch)
{
    struct guest_run run = run_selftest(arch, "selftest_null_read", 0);
    cr_expect_eq(run.outcome, GUEST_PANIC, "%s", run.log);
    cr_expect(strstr(run.verdict, "PANIC: kernel read of 0x10 in no address space: free address") !=
                  NULL,
              "verdict: %s", run.verdict);
    cr_expect(strstr(run.log, "registers:") != NULL, "%s", run.log);
    char *log = guest_symbolized_log(arch, &run);
    cr_expect(strstr(log, "#0 ") && strstr(log, "ktest_fn_selftest_null_read"),
              "the first frame is the faulting function:\n%s", log);
    expect_frames_resolve(arch, log);
    free(log);
    guest_run_free(&run);
}
BOTH_ARCHES(kernel_fault_panics, kernel_fault_panics)

/* The same for the kernel's own mapped space: an address nothing was
 * committed at is a panic naming the space and the reason. */
static void kernel_space_fault_panics(const char *arch)
{
    struct guest_run run = run_selftest(arch, "selftest_kernel_space_write", 0);
    cr_expect_eq(run.outcome, GUEST_PANIC, "%s", run.log);
    cr_expect(strstr(run.verdict, "PANIC: kernel write of ") &&
                  strstr(run.verdict, " in kernel: free address"),
              "verdict: %s", run.verdict);
    char *log = guest_symbolized_log(arch, &run);
    cr_expect(strstr(log, "ktest_fn_selftest_kernel_space_write") != NULL,
              "the backtrace names the faulting function:\n%s", log);
    free(log);
    guest_run_free(&run);
}
BOTH_ARCHES(kernel_space_fault_panics, kernel_space_fault_panics)

/* x86: a stack fault at ring 0 (possible only in a broken kernel, since
 * ring 0 runs only on the interrupt stack) is a double fault, which its
 * task gate reports as a panic instead of a silent triple-fault reset. */
Test(integration_x86, double_fault_panics)
{
    expect_verdict("x86", "selftest_double_fault", GUEST_PANIC, "PANIC: double fault");
}

/* A stack fault taken where a probe should have prevented it fails the
 * test. */
static void detects_unprobed_stack_faults(const char *arch)
{
    expect_verdict(arch, "selftest_unprobed_stack_fault", GUEST_FAIL,
                   "unprobed stack faults in non-preemptible code");
}
BOTH_ARCHES(harness_detects_unprobed_stack_faults, detects_unprobed_stack_faults)
