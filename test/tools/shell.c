/* The shell (apps/shell) as `ninja run` starts it: tools/qemu
 * --interactive with init=shell, typing at its prompt after a pause, on
 * both arches. Each test checks what the shell printed for the commands
 * typed, and that halt ends QEMU with status 0. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

#define EXPECT_OUT(s, arch, text)                                                                  \
    cr_expect(strstr((s)->out, text) != NULL, "%s: no \"%s\" in:\n%s", arch, text, (s)->out)

static void commands(const char *arch)
{
    struct session s;
    interactive_session(arch, "", "init=shell",
                        "help\\necho hello  there\\nrun hello a b\\nrun nosuch\\nbogus\\nps x\\n"
                        "echo abX\\b\\bc\\nmem\\nvm\\nnp\\nimages\\nhalt\\n",
                        &s);
    EXPECT_OUT(&s, arch, "Rialto shell: help lists the commands");
    EXPECT_OUT(&s, arch, "shell> help\n  help ");
    EXPECT_OUT(&s, arch, "\n  run APP [ARGS] [&] ");
    EXPECT_OUT(&s, arch, "shell> echo hello  there\nhello  there\n");
    EXPECT_OUT(&s, arch,
               "hello from a user process\nargv[0] = \"hello\"\nargv[1] = \"a\"\n"
               "argv[2] = \"b\"\nhello (2) exited with 0 (0)\nshell> ");
    EXPECT_OUT(&s, arch, "run: nosuch: cannot start (0x80ab0106)\n");
    EXPECT_OUT(&s, arch, "unknown command 'bogus' (try help)\n");
    EXPECT_OUT(&s, arch, "ps takes no arguments (try help)\n");
    EXPECT_OUT(&s, arch, "\nac\n"); /* backspace */
    EXPECT_OUT(&s, arch, "shell> mem\npages: ");
    EXPECT_OUT(&s, arch, "shell> vm\n");
    EXPECT_OUT(&s, arch, "shell> np\nnon-preemptible sections");
    EXPECT_OUT(&s, arch, "shell> images\n");
    EXPECT_OUT(&s, arch, "\n  rt.dll           70000000-"); /* the runtime, loaded at boot */
    EXPECT_OUT(&s, arch, "shell> halt\nhalting\n");
    cr_expect_eq(s.status, 0, "%s: status %d\n%s", arch, s.status, s.out);
}

Test(tools_shell, commands_x86)
{
    commands("x86");
}

Test(tools_shell, commands_mips)
{
    commands("mips");
}

/* A program left running (run ... &) shows in ps beside the shell; kill
 * ends it; the shell cannot kill itself or what is not there. ps ends
 * with the kernel process and the pages sharing saves. The
 * services of the build's manifest run (kv, in the kernel by default). */
static void ps_and_kill(const char *arch)
{
    struct session s;
    interactive_session(arch, "", "init=shell",
                        "run sleep 60 &\\nps\\nkill 2\\nkill 1\\nkill 99\\nkill x\\nhalt\\n", &s);
    EXPECT_OUT(&s, arch, "shell> run sleep 60 &\nsleep (2) started\nshell> ");
    EXPECT_OUT(&s, arch, "\n   2 sleep                  1     - ");
    EXPECT_OUT(&s, arch, "\n   1 shell                  1     - ");
    /* the kernel process's line, and what sharing images saves */
    EXPECT_OUT(&s, arch, "\n     kernel                 -     - ");
    EXPECT_OUT(&s, arch, "\nsharing saves ");
    static const char line[] = "\n  shell            running  prio 16 ";
    EXPECT_OUT(&s, arch, line);
    const char *shell = strstr(s.out, line);
    unsigned long kcycles = 0;
    char kind[8] = "";
    cr_expect(shell && sscanf(shell + sizeof line - 1, "%lu kcycles %7s", &kcycles, kind) == 2 &&
                  kcycles > 0 && !strcmp(kind, "user"),
              "%s: the shell's time: %s", arch, s.out); /* it has run: its cycles show */
    EXPECT_OUT(&s, arch, "\n  sleep            ");
    EXPECT_OUT(&s, arch, "\n  kv               blocked  prio 16 "); /* its thread, named */
    /* the boot started the sample service where the build placed it */
    EXPECT_OUT(&s, arch, "\n  kv                               kernel\n1 name\n");
    EXPECT_OUT(&s, arch, "shell> kill 2\nkilled 2\n");
    EXPECT_OUT(&s, arch, "shell> kill 1\nkill: 1: cannot kill (0x80ae0002)\n");
    EXPECT_OUT(&s, arch, "shell> kill 99\nkill: 99: cannot kill (0x80ae0001)\n");
    EXPECT_OUT(&s, arch, "shell> kill x\nkill: x: cannot kill (0x80070057)\n");
    cr_expect_eq(s.status, 0, "%s: status %d\n%s", arch, s.status, s.out);
}

Test(tools_shell, ps_and_kill_x86)
{
    ps_and_kill("x86");
}

Test(tools_shell, ps_and_kill_mips)
{
    ps_and_kill("mips");
}

/* time prints instructions under RIALTO_ICOUNT=1; !!, !N and history
 * bring lines back; exit gives the console back to the kernel's prompt. */
static void time_history_exit(const char *arch)
{
    struct session s;
    interactive_session(
        arch, "RIALTO_ICOUNT=1", "init=shell",
        "time echo hi\\n!!\\necho two\\nhistory\\n!3\\n!42\\nexit\\nversion\\nhalt\\n", &s);
    EXPECT_OUT(&s, arch, "shell> time echo hi\nhi\ntime: ");
    EXPECT_OUT(&s, arch, " instructions\nshell> !!\ntime echo hi\nhi\ntime: ");
    EXPECT_OUT(&s, arch,
               "shell> history\n    1  time echo hi\n    2  time echo hi\n    3  echo two\n"
               "    4  history\nshell> ");
    EXPECT_OUT(&s, arch, "shell> !3\necho two\ntwo\n");
    EXPECT_OUT(&s, arch, "shell> !42\n!42: no such line in the history\n");
    EXPECT_OUT(&s, arch,
               "shell> exit\ninit: shell (1) exited with 0 (0); the kernel console "
               "follows\nrialto> version\nRialto kernel ");
    EXPECT_OUT(&s, arch, "rialto> halt\nhalting\n");
    cr_expect_eq(s.status, 0, "%s: status %d\n%s", arch, s.status, s.out);
}

Test(tools_shell, time_history_exit_x86)
{
    time_history_exit("x86");
}

Test(tools_shell, time_history_exit_mips)
{
    time_history_exit("mips");
}

/* The history keeps the last 16 lines: after 17, line 1 is gone and line
 * 2 is the oldest; a blank line is not kept. */
static void history_keeps_16(const char *arch)
{
    struct session s;
    char input[1024] = "";
    for (int i = 1; i <= 17; i++)
        snprintf(input + strlen(input), sizeof input - strlen(input), "echo %d\\n", i);
    strcat(input, "\\n!1\\n!2\\n!17\\n!18\\nhalt\\n");
    interactive_session(arch, "", "init=shell", input, &s);
    EXPECT_OUT(&s, arch, "shell> !1\n!1: no such line in the history\n");
    EXPECT_OUT(&s, arch, "shell> !2\necho 2\n2\n");
    EXPECT_OUT(&s, arch, "shell> !17\necho 17\n17\n");
    EXPECT_OUT(&s, arch, "shell> !18\necho 2\n2\n");
    cr_expect_eq(s.status, 0, "%s: status %d\n%s", arch, s.status, s.out);
}

Test(tools_shell, history_keeps_16_x86)
{
    history_keeps_16("x86");
}

Test(tools_shell, history_keeps_16_mips)
{
    history_keeps_16("mips");
}
