/* `ninja run` as a person uses it: tools/qemu --interactive (the QEMU
 * monitor multiplexed on the console), typing at the prompt after a
 * pause. `halt` ends it with status 0 on both arches; RIALTO_ICOUNT=1
 * makes the console count instructions without an idle prompt racing
 * through virtual time. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "session.h"

static void halt_is_status_0(const char *arch)
{
    struct session s;
    interactive_session(arch, "", "", "halt\\n", &s);
    cr_expect(strstr(s.out, "rialto> halt\nhalting\n") != NULL, "%s:\n%s", arch, s.out);
    cr_expect_eq(s.status, 0, "%s: ninja run after halt: status %d\n%s", arch, s.status, s.out);
}

Test(tools_run, halt_ends_run_with_status_0_x86)
{
    halt_is_status_0("x86");
}

Test(tools_run, halt_ends_run_with_status_0_mips)
{
    halt_is_status_0("mips");
}

/* Under RIALTO_ICOUNT=1 cycles says instructions, and the idle seconds
 * at the prompt are about that many seconds of ticks: with -icount
 * sleep=off they would be tens of virtual seconds. */
static void icount_counts_instructions(const char *arch)
{
    struct session s;
    interactive_session(arch, "RIALTO_ICOUNT=1", "", "ticks\\ncycles\\nhalt\\n", &s);
    cr_expect(strstr(s.out, " instructions\n") != NULL, "%s: cycles in instructions:\n%s", arch,
              s.out);
    const char *t = strstr(s.out, "\nticks: ");
    cr_assert_not_null(t, "%s", s.out);
    long ticks = strtol(t + 8, NULL, 10);
    cr_expect(ticks > 0 && ticks < 1000, "%s: %ld ticks after %d s at the prompt", arch, ticks,
              SESSION_IDLE_SECONDS);
    cr_expect_eq(s.status, 0, "%s: status %d", arch, s.status);
}

Test(tools_run, rialto_icount_counts_instructions_x86)
{
    icount_counts_instructions("x86");
}

Test(tools_run, rialto_icount_counts_instructions_mips)
{
    icount_counts_instructions("mips");
}

/* The console's process commands on the kernel a person boots: run starts
 * a program of the boot archive with its arguments and waits for it; ps
 * lists the threads; an unknown program is an error, not a crash. */
static void run_a_program(const char *arch)
{
    struct session s;
    interactive_session(arch, "", "", "run hello x y\\nrun nosuch\\nps\\nhalt\\n", &s);
    cr_expect(strstr(s.out, "hello from a user process\nargv[0] = \"hello\"\nargv[1] = \"x\"\n"
                            "argv[2] = \"y\"\nhello (1) exited with 0 (0)\n") != NULL,
              "%s:\n%s", arch, s.out);
    cr_expect(strstr(s.out, "run: nosuch: cannot start (0x80ab0106)") != NULL, "%s:\n%s", arch,
              s.out);
    cr_expect(strstr(s.out, "reaper") && strstr(s.out, "main             running"), "%s:\n%s", arch,
              s.out);
    cr_expect_eq(s.status, 0, "%s:\n%s", arch, s.out);
}

Test(tools_run, run_starts_a_program_x86)
{
    run_a_program("x86");
}

Test(tools_run, run_starts_a_program_mips)
{
    run_a_program("mips");
}
