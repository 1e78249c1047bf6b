/* `ninja debug`, as a person uses it: QEMU halted with a gdb stub
 * (tools/qemu --gdb), and gdb-multiarch -x BUILDDIR/ARCH/kernel.gdb (the
 * script configure writes, which on x86 goes through tools/gdb-bias)
 * breaking in kmain, naming its file and line and reading variables from
 * kernel memory. The stub listens on a socket this test bound to port 0
 * and hands to QEMU (tools/qemu --gdb-fd), so parallel runs never share a
 * port; QEMU and gdb are killed at a deadline whatever happens. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GDB_DEADLINE 30.0 /* seconds: a boot to kmain takes well under one */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A listening TCP socket on 127.0.0.1 and a port the kernel chose. */
static int listen_on_free_port(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_neq(fd, -1);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0, "bind: %s", strerror(errno));
    cr_assert_eq(listen(fd, 1), 0);
    socklen_t len = sizeof a;
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* Start argv in its own process group with stdin from /dev/null and
 * stdout and stderr into *out (a pipe), or to /dev/null if out is NULL. */
static pid_t spawn(char *const argv[], int *out)
{
    int p[2] = {-1, -1};
    if (out)
        cr_assert_eq(pipe(p), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        setpgid(0, 0);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(out ? p[1] : null, 1);
        dup2(out ? p[1] : null, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid);
    if (out) {
        close(p[1]);
        *out = p[0];
    }
    return pid;
}

static void kill_group(pid_t pid)
{
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* Everything fd gives until it closes or the deadline passes. */
static char *read_until_closed(int fd, double deadline, bool *timed_out)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    cr_assert_not_null(buf);
    *timed_out = false;
    for (;;) {
        double left = deadline - now();
        if (left <= 0) {
            *timed_out = true;
            break;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        int r = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        if (len + 4096 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert_not_null(buf);
        }
        ssize_t n = read(fd, buf + len, 4096);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

static void save_log(const char *arch, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/test-results", BUILDDIR);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/test-results/logs", BUILDDIR);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/test-results/logs/gdb-%s.log", BUILDDIR, arch);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Boot ARCH's kernel.elf halted and run gdb's commands against it; gdb's
 * output (stdout and stderr). */
static char *debug_session(const char *arch, const char *const *commands)
{
    int port;
    int lfd = listen_on_free_port(&port);
    char kernel[4096], fdopt[32], portcmd[64], script[4096];
    snprintf(kernel, sizeof kernel, "%s/%s/kernel.elf", BUILDDIR, arch);
    snprintf(fdopt, sizeof fdopt, "--gdb-fd=%d", lfd);
    snprintf(portcmd, sizeof portcmd, "set $rialto_gdb_port = %d", port);
    snprintf(script, sizeof script, "%s/%s/kernel.gdb", BUILDDIR, arch);
    char *qemu_argv[] = {SRCDIR "/tools/qemu", fdopt, (char *)arch, kernel, NULL};
    pid_t qemu = spawn(qemu_argv, NULL);
    close(lfd); /* QEMU has its own copy */

    char *argv[64] = {"gdb-multiarch", "-nx", "-batch", "-ex", portcmd, "-x", script};
    int n = 7;
    for (; *commands && n < 62; commands++) {
        argv[n++] = "-ex";
        argv[n++] = (char *)*commands;
    }
    argv[n] = NULL;
    int out;
    pid_t gdb = spawn(argv, &out);
    bool timed_out;
    char *log = read_until_closed(out, now() + GDB_DEADLINE, &timed_out);
    close(out);
    kill_group(gdb);
    kill_group(qemu);
    save_log(arch, log);
    cr_log_info("gdb on %s:\n%s", arch, log);
    cr_assert(!timed_out, "%s: gdb still running after %.0f s:\n%s", arch, GDB_DEADLINE, log);
    return log;
}

static bool matches(const char *text, const char *pattern)
{
    regex_t re;
    cr_assert_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE), 0, "%s", pattern);
    bool m = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return m;
}

/* What README.md tells a person to type after `ninja debug`. */
static void gdb_stops_in_kmain(const char *arch, const char *loader)
{
    static const char *const commands[] = {
        "break kmain", "continue", "info locals", "print bi->loader", "kill", NULL,
    };
    char *log = debug_session(arch, commands);
    cr_expect(matches(log, "^Breakpoint 1, kmain \\(bi=.*\\) at (/.*/)?kernel/main\\.c:[0-9]+$"),
              "%s: stops in kmain at kernel/main.c:LINE:\n%s", arch, log);
    cr_expect(matches(log, "^[0-9]+\t+.*kprintf"), "%s: shows the source line:\n%s", arch, log);
    /* a local array in kmain's frame (on the stack) and a string that
     * boot_info points to: both read from kernel memory */
    cr_expect(matches(log, "^test = "), "%s: info locals reads the local 'test':\n%s", arch, log);
    char want[64];
    snprintf(want, sizeof want, "\"%s\"\n", loader);
    cr_expect(strstr(log, want) != NULL, "%s: bi->loader is %s:\n%s", arch, want, log);
    cr_expect(strstr(log, "Cannot access memory") == NULL, "%s:\n%s", arch, log);
    free(log);
}

TestSuite(tools_gdb, .timeout = 2 * GDB_DEADLINE);

Test(tools_gdb, gdb_stops_in_kmain_x86)
{
    gdb_stops_in_kmain("x86", "multiboot");
}

Test(tools_gdb, gdb_stops_in_kmain_mips)
{
    gdb_stops_in_kmain("mips", "malta");
}
