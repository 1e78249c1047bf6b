/* The kernel console, driven through the serial port as a person would:
 * the banner and memory report, then commands typed at the prompt. */
#include "guest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct guest_run boot_console_with(const char *arch, const char *cmdline, const char *input)
{
    struct guest_opts opts = {.cmdline = cmdline, .input = input, .timeout = 60, .plain = true};
    struct guest_run run = guest_boot(arch, &opts);
    cr_assert_neq(run.outcome, GUEST_TIMEOUT, "%s console did not halt:\n%s", arch, run.log);
    cr_assert_eq(run.outcome, GUEST_NO_VERDICT, "%s: %s\n%s", arch, run.verdict, run.log);
    return run;
}

static struct guest_run boot_console(const char *arch, const char *input)
{
    return boot_console_with(arch, "", input);
}

/* The value after `key` in the log (e.g. "pages: " -> 32464), or -1. */
static long long number_after(const char *log, const char *key)
{
    const char *p = strstr(log, key);
    return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

static void banner_and_memory(const char *arch)
{
    struct guest_run run = boot_console(arch, "halt\n");
    cr_expect(strstr(run.log, "\nRialto kernel ") != NULL, "%s", run.log);
    char arch_line[64];
    snprintf(arch_line, sizeof arch_line, "\narch %s, loaded by ", arch);
    cr_expect(strstr(run.log, arch_line) != NULL, "%s", run.log);
    cr_expect(strstr(run.log, "memory: usable") != NULL, "%s", run.log);
    /* tools/qemu gives both machines 128 MiB; the kernel keeps the first
     * MiB and its image for itself */
    long long n = -1;
    for (const char *p = run.log; (p = strstr(p, "memory: ")); p++) {
        if (sscanf(p, "memory: %lld pages", &n) == 1)
            break;
    }
    cr_expect(n > 30000 && n < 32768, "%s: %lld free pages of 128 MiB", arch, n);
    cr_expect(strstr(run.log, "boot: cycle counter ") != NULL, "%s", run.log);
    cr_expect(strstr(run.log, "rialto> halt\nhalting") != NULL, "%s", run.log);
    /* leaving is not failing: `ninja run` ends with status 0 */
    cr_expect_eq(run.exit_status, 0, "%s: halt ends tools/qemu with status %d", arch,
                 run.exit_status);
    guest_run_free(&run);
}
BOTH_ARCHES(console_banner_and_memory, banner_and_memory)

static void commands(const char *arch)
{
    struct guest_run run =
        boot_console(arch, "help\nmem\nticks\nversion\nvm\nbogus\n  mem  \nimages\nps\nhalt\n");
    const char *log = run.log;
    cr_expect(strstr(log, "  mem      physical page allocator counters") != NULL, "%s", log);
    cr_expect(strstr(log, "  ticks    timer ticks since boot") != NULL, "%s", log);
    long long total = number_after(log, "\npages: ");
    long long free = number_after(log, " total, ");
    /* all free but what the idle thread holds (its stack and structure)
     * and the kernel process: rt.dll's and the kernel-placed services'
     * images (kv, fs and net: 67 pages on MIPS), their first copied pages
     * and their threads */
    cr_expect(total > 30000 && free < total && free > total - 96,
              "%s: mem says %lld total, %lld free", arch, total, free);
    /* (fs, with no disk, ended: its thread's pages were freed) */
    cr_expect(strstr(log, " frees, 0 failed allocs") != NULL, "%s", log);
    cr_expect(number_after(log, "\nticks: ") >= 0, "%s", log);
    cr_expect(strstr(log, "(100 Hz, ") != NULL, "%s", log);
    char version[64];
    snprintf(version, sizeof version, "Rialto kernel 0.1 (%s)", arch);
    cr_expect(strstr(log, version) != NULL, "%s", log);
    cr_expect(strstr(log, "unknown command 'bogus' (try help)") != NULL, "%s", log);
    cr_expect(strstr(log, "\nkernel space: ") != NULL, "%s", log);
    cr_expect(strstr(log, "\nvtlb: ") && strstr(log, "\nheaps: kernel "), "%s", log);
    /* the kernel process's images (rt.dll loaded at boot) and its ps line,
     * then what sharing them saves */
    cr_expect(strstr(log, "\n  rt.dll           70000000-") != NULL, "%s", log);
    cr_expect(strstr(log, "\n     kernel                 -     - ") != NULL, "%s", log);
    cr_expect(strstr(log, "\nsharing saves ") != NULL, "%s", log);
    /* surrounding blanks are ignored: the second mem prints a second report */
    const char *first = strstr(log, "\npages: ");
    cr_expect(first && strstr(first + 1, "\npages: "), "'  mem  ' was not run:\n%s", log);
    guest_run_free(&run);
}
BOTH_ARCHES(console_commands, commands)

/* The number after `key` (e.g. "time: " -> 2094) and the word after it
 * (its unit), or -1. */
static long long number_and_unit(const char *log, const char *key, char *unit, size_t size)
{
    const char *p = strstr(log, key);
    if (!p)
        return -1;
    char *end;
    long long n = strtoll(p + strlen(key), &end, 10);
    snprintf(unit, size, "%.*s", (int)strcspn(end + (*end == ' '), " \n"), end + (*end == ' '));
    return n;
}

/* Under icount (the harness's default, RIALTO_ICOUNT=1 for ninja run)
 * cycles, time and np say their numbers are instructions, and their help
 * says so; `time CMD` runs CMD. */
static void counts_instructions(const char *arch)
{
    struct guest_run run = boot_console(arch, "help\ncycles\ntime version\nnp\ntime\n"
                                              "mem x\ntime  time  version \nhalt\n");
    const char *log = run.log;
    cr_expect(strstr(log, " since kernel entry (instructions)\n"), "the boot line's unit:\n%s",
              log);
    char unit[32];
    long long c = number_and_unit(log, "\ncycles: ", unit, sizeof unit);
    cr_expect(c > 0 && strcmp(unit, "instructions") == 0, "%s: cycles: %lld %s", arch, c, unit);
    const char *t = strstr(log, "rialto> time version\n");
    cr_assert_not_null(t, "%s", log);
    cr_expect(strstr(t, "\nRialto kernel 0.1 (") != NULL, "time ran version:\n%s", t);
    long long took = number_and_unit(t, "\ntime: ", unit, sizeof unit);
    /* printing one line: hundreds to a few thousand instructions */
    cr_expect(took > 100 && took < 1000000 && strcmp(unit, "instructions") == 0,
              "%s: time: %lld %s", arch, took, unit);
    cr_expect(strstr(log, "\nnon-preemptible sections (average and maximum in instructions):"),
              "%s", log);
    cr_expect(strstr(log, "\nusage: time CMD\n") != NULL, "%s", log);
    cr_expect(strstr(log, "\nmem takes no arguments (try help)\n") != NULL, "%s", log);
    /* time time version: two times, the outer one the larger */
    const char *tt = strstr(log, "rialto> time  time  version \n");
    cr_assert_not_null(tt, "%s", log);
    long long inner = number_and_unit(tt, "\ntime: ", unit, sizeof unit);
    const char *second = strstr(strstr(tt, "\ntime: ") + 1, "\ntime: ");
    cr_assert_not_null(second, "%s", tt);
    long long outer = number_and_unit(second, "\ntime: ", unit, sizeof unit);
    cr_expect(inner > 0 && outer > inner, "%s: inner %lld, outer %lld", arch, inner, outer);
    static const char *const helps[] = {"\n  cycles   ", "\n  time CMD ", "\n  np       "};
    for (int i = 0; i < 3; i++) {
        const char *h = strstr(log, helps[i]);
        cr_assert_not_null(h, "%s: no help for%s\n%s", arch, helps[i], log);
        char line[128];
        snprintf(line, sizeof line, "%.*s", (int)strcspn(h + 1, "\n"), h + 1);
        cr_expect(strstr(line, "instructions") != NULL, "%s: help says the unit: '%s'", arch, line);
    }
    guest_run_free(&run);
}
BOTH_ARCHES(console_counts_instructions, counts_instructions)

/* Without icount the console does not call its numbers instructions. */
static void says_cycles_without_icount(const char *arch)
{
    struct guest_opts opts = {.input = "cycles\ntime version\nnp\nhalt\n",
                              .timeout = 60,
                              .plain = true,
                              .real_time = true};
    struct guest_run run = guest_boot(arch, &opts);
    char unit[32];
    long long c = number_and_unit(run.log, "\ncycles: ", unit, sizeof unit);
    cr_expect(c > 0 && strcmp(unit, "cycles") == 0, "%s: cycles: %lld %s\n%s", arch, c, unit,
              run.log);
    long long t = number_and_unit(run.log, "\ntime: ", unit, sizeof unit);
    cr_expect(t > 0 && strcmp(unit, "cycles") == 0, "%s: time: %lld %s", arch, t, unit);
    cr_expect(strstr(run.log, "\nnon-preemptible sections (average and maximum in cycles):"), "%s",
              run.log);
    cr_expect(strstr(run.log, "since kernel entry (cycles)\n"), "%s", run.log);
    guest_run_free(&run);
}
BOTH_ARCHES(console_says_cycles_without_icount, says_cycles_without_icount)

/* Both kernels print the same banner line. */
Test(integration, same_banner_on_both_arches)
{
    char banner[2][128];
    for (int i = 0; i < 2; i++) {
        struct guest_run run = boot_console(guest_arches[i], "halt\n");
        const char *b = strstr(run.log, "Rialto kernel ");
        cr_assert_not_null(b, "%s", run.log);
        snprintf(banner[i], sizeof banner[i], "%.*s", (int)strcspn(b, "\n"), b);
        guest_run_free(&run);
    }
    cr_expect_str_eq(banner[0], banner[1]);
}

/* Input typed while nobody reads (the console waits for `run sleep`) is
 * more than the UART driver's 1 KiB ring: the receive interrupt must stop
 * and leave the rest to QEMU, which holds it back, so every line arrives
 * whole once the console reads again. */
#define TYPED_AHEAD 200

static void typed_ahead_input_is_kept(const char *arch)
{
    static char input[64 + TYPED_AHEAD * 8];
    strcpy(input, "run sleep 1\n");
    for (int i = 0; i < TYPED_AHEAD; i++)
        strcat(input, "version\n");
    strcat(input, "halt\n");
    struct guest_run run = boot_console(arch, input);
    int versions = 0;
    for (const char *p = run.log; (p = strstr(p, "\nRialto kernel 0.1 (")); p++)
        versions++;
    cr_expect_eq(versions, TYPED_AHEAD, "%s: %d of %d typed-ahead commands ran:\n%s", arch,
                 versions, TYPED_AHEAD, run.log);
    cr_expect(strstr(run.log, "unknown command") == NULL, "%s: a line arrived broken", arch);
    guest_run_free(&run);
}
BOTH_ARCHES(console_keeps_input_typed_ahead, typed_ahead_input_is_kept)

/* The boot starts the manifest's services where the build placed them
 * (kv and fs: in the kernel), and place.NAME= on the command line moves one:
 * kv then runs as process 1 and owns its name. A bad value is ignored. */
static void services_placed(const char *arch)
{
    struct guest_run run = boot_console_with(arch, "place.kv=process", "names\nps\nhalt\n");
    cr_expect(strstr(run.log, "services: kv in a process\n"), "%s: %s", arch, run.log);
    /* no disk: fs says so and ends, and the boot does not wait for it */
    cr_expect(strstr(run.log, "fs: no disk0, no file system\n"
                              "services: fs in the kernel: ended without registering \"fs\"\n"),
              "%s: %s", arch, run.log);
    cr_expect(strstr(run.log, "  kv                               kv (1)\n"), "%s: %s", arch,
              run.log);
    guest_run_free(&run);
    run = boot_console_with(arch, "place.kv=elsewhere place.fs=process", "names\nhalt\n");
    cr_expect(strstr(run.log, "services: kv in the kernel\n"), "%s: %s", arch, run.log);
    /* in a process too the boot's wait ends when fs does */
    cr_expect(strstr(run.log, "fs: no disk0, no file system\n"
                              "services: fs in a process: ended without registering \"fs\"\n"),
              "%s: %s", arch, run.log);
    cr_expect(strstr(run.log, "  kv                               kernel\n"), "%s: %s", arch,
              run.log);
    guest_run_free(&run);
}
BOTH_ARCHES(console_services_placed, services_placed)
