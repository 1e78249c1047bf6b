/* shell: the user's command line, a user process that `ninja run` starts
 * as init. It reads a line through IConsole::ReadLine (which echoes and
 * takes backspace), expands `!!` and `!N` from the history, and runs one
 * command; what only the kernel knows or does goes through the ISystem
 * object, its start handle. `exit` ends it: the kernel console follows. */
#include "files.h"
#include "net.h"
#include "history.h"
#include <ISystem.h>
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROMPT      "shell> "
#define KILLED_CODE 1 /* the exit code kill gives */

static ISystem *sys;
static int done;

struct command {
    const char *name;
    const char *args; /* for help; NULL: takes none; "[...]": may take some */
    const char *help;
    void (*run)(char *args);
};

static void execute(char *line);

static void fail(const char *what, SCODE sc)
{
    printf("%s: failed (%#x)\n", what, (unsigned)sc);
}

static void report(const char *name)
{
    SCODE sc = ISystem_Report(sys, name);
    if (FAILED(sc))
        fail(name, sc);
}

/* Split off a trailing " &" from args: 1 if there was one. */
static int background(char *args)
{
    size_t n = strlen(args);
    if (n == 0 || args[n - 1] != '&')
        return 0;
    args[--n] = '\0';
    while (n > 0 && args[n - 1] == ' ')
        args[--n] = '\0';
    return 1;
}

static void cmd_run(char *args)
{
    int bg = background(args);
    char *name = args, *rest = args;
    while (*rest && *rest != ' ')
        rest++;
    if (*rest)
        *rest++ = '\0';
    IProcess *p;
    SCODE sc = ISystem_Spawn(sys, name, rest, &p);
    if (FAILED(sc)) {
        printf("run: %s: cannot start (%#x)\n", name, (unsigned)sc);
        return;
    }
    uint32_t id = 0;
    int32_t code = 0;
    IProcess_GetId(p, &id);
    if (bg)
        printf("%s (%u) started\n", name, (unsigned)id);
    else if (SUCCEEDED(IProcess_Wait(p, 0xffffffffu, &code)))
        printf("%s (%u) exited with %d (%#x)\n", name, (unsigned)id, (int)code, (unsigned)code);
    IProcess_Release(p);
}

static void cmd_kill(char *args)
{
    char *end;
    unsigned long id = strtoul(args, &end, 10);
    SCODE sc = *end ? E_INVALIDARG : ISystem_Kill(sys, (uint32_t)id, KILLED_CODE);
    if (FAILED(sc))
        printf("kill: %s: cannot kill (%#x)\n", args, (unsigned)sc);
    else
        printf("killed %lu\n", id);
}

static void cmd_ps(char *args)
{
    (void)args;
    report("ps");
    report("names");
}

static void cmd_mem(char *args)
{
    (void)args;
    report("mem");
}

static void cmd_images(char *args)
{
    (void)args;
    report("images");
}

static void cmd_vm(char *args)
{
    (void)args;
    report("vm");
}

static void cmd_np(char *args)
{
    (void)args;
    report("np");
}

static void cmd_time(char *args)
{
    uint64_t start, end;
    uint32_t instructions;
    ISystem_Cycles(sys, &start, &instructions);
    execute(args);
    ISystem_Cycles(sys, &end, &instructions);
    printf("time: %llu %s\n", (unsigned long long)(end - start),
           instructions ? "instructions" : "cycles");
}

static void cmd_echo(char *args)
{
    printf("%s\n", args);
}

static void cmd_history(char *args)
{
    (void)args;
    history_print();
}

static void cmd_halt(char *args)
{
    (void)args;
    fflush_console();
    fail("halt", ISystem_Halt(sys));
}

static void cmd_exit(char *args)
{
    (void)args;
    done = 1;
}

static void cmd_help(char *args);

static const struct command commands[] = {
    {"help", NULL, "list the commands", cmd_help},
    {"ps", NULL, "processes, threads (state, priority), memory; names and who serves them", cmd_ps},
    {"run", "APP [ARGS] [&]", "run APP of the boot archive and wait (&: do not wait)", cmd_run},
    {"kill", "ID", "end process ID (exit code 1)", cmd_kill},
    {"mem", NULL, "physical page allocator counters", cmd_mem},
    {"images", NULL, "loaded images: addresses, pages, code pages, users", cmd_images},
    {"vm", NULL, "address-space, page-policy and VTLB counters", cmd_vm},
    {"np", NULL, "non-preemptible sections (instructions under icount)", cmd_np},
    {"time", "CMD", "run CMD, print what it took (instructions under icount)", cmd_time},
    {"echo", "TEXT", "print TEXT", cmd_echo},
    {"ls", "[DIR]", "the files of DIR (the root without one) on the file system fs", cmd_ls},
    {"cat", "FILE", "print FILE", cmd_cat},
    {"write", "FILE TEXT", "make FILE hold the line TEXT (created or replaced)", cmd_write},
    {"mkdir", "DIR", "make a directory", cmd_mkdir},
    {"rm", "PATH", "remove a file or an empty directory", cmd_rm},
    {"mv", "FROM TO", "rename or move a file or directory", cmd_mv},
    {"df", NULL, "the file system's size and free space", cmd_df},
    {"ifconfig", NULL, "the network's address, card and counters", cmd_ifconfig},
    {"ping", "ADDRESS", "four echo requests to ADDRESS (a.b.c.d) and their round trips", cmd_ping},
    {"netstat", NULL, "the network's sockets and their states", cmd_netstat},
    {"history", NULL, "the last lines (!! repeats the last, !N line N)", cmd_history},
    {"halt", NULL, "stop the machine (QEMU exits)", cmd_halt},
    {"exit", NULL, "end the shell (the kernel console follows)", cmd_exit},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void cmd_help(char *args)
{
    (void)args;
    for (unsigned i = 0; i < NCOMMANDS; i++) {
        char usage[32];
        snprintf(usage, sizeof usage, "%s %s", commands[i].name,
                 commands[i].args ? commands[i].args : "");
        printf("  %-20s %s\n", usage, commands[i].help);
    }
}

static char *skip_blanks(char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

/* Run "NAME [ARGS]" (blanks around both ignored). */
static void execute(char *line)
{
    line = skip_blanks(line);
    size_t n = strlen(line);
    while (n > 0 && line[n - 1] == ' ')
        line[--n] = '\0';
    if (!*line)
        return;
    char *args = line;
    while (*args && *args != ' ')
        args++;
    if (*args)
        *args++ = '\0';
    args = skip_blanks(args);
    for (unsigned i = 0; i < NCOMMANDS; i++) {
        const struct command *c = &commands[i];
        if (strcmp(line, c->name) != 0)
            continue;
        if (c->args && c->args[0] != '[' && !*args) /* "[...]": optional */
            printf("usage: %s %s\n", c->name, c->args);
        else if (!c->args && *args)
            printf("%s takes no arguments (try help)\n", c->name);
        else
            c->run(args);
        return;
    }
    printf("unknown command '%s' (try help)\n", line);
}

/* One line from the console, history expanded; 0 when it names no line. */
static int read_line(char *line, size_t size)
{
    uint32_t n = 0;
    printf(PROMPT);
    fflush_console();
    if (FAILED(IConsole_ReadLine(CurrentConsole(), line, (uint32_t)size - 1, &n)))
        n = 0;
    line[n] = '\0';
    int e = history_expand(line, size);
    if (e < 0) {
        printf("%s: no such line in the history\n", line);
        return 0;
    }
    if (e > 0)
        printf("%s\n", line);
    history_add(line);
    return 1;
}

int main(void)
{
    if (com_unmarshal_interface(StartHandle(), &IID_ISystem, (void **)&sys) || !sys) {
        printf("shell: no system object (start the shell as init=shell)\n");
        return 1;
    }
    printf("Rialto shell: help lists the commands, exit returns to the kernel console\n");
    char line[HISTORY_LINE];
    while (!done) {
        if (read_line(line, sizeof line))
            execute(line);
    }
    return 0;
}
