/* The integration harness (see guest.h). */
#include "guest.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROMPT          "rialto> "
#define SHELL_PROMPT    "shell> " /* init=shell's */
#define DEFAULT_TIMEOUT 120.0

const char *const guest_arches[2] = {"x86", "mips"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *guest_kernel(const char *arch, bool plain)
{
    static char path[2][2][4096];
    int i = strcmp(arch, "x86") == 0 ? 0 : 1;
    snprintf(path[i][plain], sizeof path[i][plain], "%s/%s/%s", BUILDDIR, arch,
             plain ? "kernel.elf" : "kernel-test.elf");
    return path[i][plain];
}

const char *guest_outcome_name(enum guest_outcome o)
{
    static const char *const names[] = {"pass", "fail", "panic", "timeout", "no verdict"};
    return names[o];
}

static double default_timeout(void)
{
    const char *env = getenv("RIALTO_GUEST_TIMEOUT");
    double t = env ? atof(env) : 0;
    return t > 0 ? t : DEFAULT_TIMEOUT;
}

struct logbuf {
    char *p;
    size_t len, cap;
};

static void log_append(struct logbuf *b, const char *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        cr_assert_not_null(b->p);
    }
    for (size_t i = 0; i < n; i++) {
        if (data[i] != '\r')
            b->p[b->len++] = data[i];
    }
    b->p[b->len] = '\0';
}

static pid_t spawn_qemu(const char *arch, const char *kernel, const struct guest_opts *opts,
                        int *to_child, int *from_child)
{
    char disk[4200];
    char hostfwd[300], tftp[4200], dgram[80];
    char monitor[4200];
    const char *argv[15];
    int argc = 0;
    argv[argc++] = "qemu";
    if (!opts->real_time)
        argv[argc++] = "--icount";
    if (opts->disk) {
        snprintf(disk, sizeof disk, "--disk=%s", opts->disk);
        argv[argc++] = disk;
    }
    if (opts->nic)
        argv[argc++] = "--nic";
    if (opts->hostfwd) {
        snprintf(hostfwd, sizeof hostfwd, "--hostfwd=%s", opts->hostfwd);
        argv[argc++] = hostfwd;
    }
    if (opts->dgram) {
        snprintf(dgram, sizeof dgram, "--nic-dgram=%s", opts->dgram);
        argv[argc++] = dgram;
    }
    if (opts->tftp) {
        snprintf(tftp, sizeof tftp, "--tftp=%s", opts->tftp);
        argv[argc++] = tftp;
    }
    if (opts->display)
        argv[argc++] = "--display";
    if (opts->monitor) {
        snprintf(monitor, sizeof monitor, "--monitor=%s", opts->monitor);
        argv[argc++] = monitor;
    }
    argv[argc++] = arch;
    argv[argc++] = kernel;
    argv[argc++] = opts->cmdline ? opts->cmdline : "";
    argv[argc] = NULL;
    int in[2], out[2];
    cr_assert_eq(pipe(in), 0);
    cr_assert_eq(pipe(out), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        setpgid(0, 0); /* so a timeout kills QEMU and anything it started */
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(out[1], 2);
        close(in[1]);
        close(out[0]);
        execv(SRCDIR "/tools/qemu", (char *const *)argv);
        _exit(127);
    }
    setpgid(pid, pid);
    close(in[0]);
    close(out[1]);
    *to_child = in[1];
    *from_child = out[0];
    fcntl(*to_child, F_SETFL, O_NONBLOCK);
    signal(SIGPIPE, SIG_IGN);
    return pid;
}

/* Find the verdict or panic line and classify the run. */
static void classify(struct guest_run *run, bool timed_out)
{
    const char *v = strstr(run->log, "ktest: verdict ");
    const char *p = strstr(run->log, "PANIC");
    const char *line = v ? v : p;
    if (line) {
        size_t n = strcspn(line, "\n");
        snprintf(run->verdict, sizeof run->verdict, "%.*s", (int)n, line);
    }
    if (p && (!v || p < v)) {
        run->outcome = GUEST_PANIC;
    } else if (v) {
        /* "ktest: verdict NAME pass" exactly, or a failure */
        const char *rest = v + strlen("ktest: verdict ");
        rest += strcspn(rest, " \n");
        bool pass = strncmp(rest, " pass", 5) == 0 && (rest[5] == '\n' || rest[5] == '\0');
        run->outcome = pass ? GUEST_PASS : GUEST_FAIL;
    } else {
        run->outcome = timed_out ? GUEST_TIMEOUT : GUEST_NO_VERDICT;
    }
}

struct guest_run guest_boot(const char *arch, const struct guest_opts *opts)
{
    struct guest_run run = {.exit_status = -1, .kernel = guest_kernel(arch, opts->plain)};
    struct logbuf log = {0};
    log_append(&log, "", 0);
    int to_child, from_child;
    double start = now(), timeout = opts->timeout > 0 ? opts->timeout : default_timeout();
    pid_t pid = spawn_qemu(arch, run.kernel, opts, &to_child, &from_child);
    const char *input = opts->input;
    size_t input_left = input ? strlen(input) : 0;
    bool timed_out = false, dumped = !opts->screendump_when;

    for (;;) {
        double left = start + timeout - now();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        if (input_left && (strstr(log.p, PROMPT) || strstr(log.p, SHELL_PROMPT))) {
            ssize_t n = write(to_child, input, input_left);
            if (n > 0) {
                input += n;
                input_left -= (size_t)n;
            }
        }
        if (!dumped && strstr(log.p, opts->screendump_when)) {
            dumped = true;
            if (!guest_screendump(opts->monitor, opts->screendump))
                log_append(&log, "harness: no screendump\n", 23);
            if (write(to_child, "\n", 1) != 1)
                log_append(&log, "harness: cannot press Enter\n", 28);
        }
        struct pollfd pfd = {from_child, POLLIN, 0};
        int r = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        char buf[4096];
        ssize_t n = read(from_child, buf, sizeof buf);
        if (n <= 0)
            break; /* QEMU closed its output: it is exiting */
        log_append(&log, buf, (size_t)n);
    }
    if (timed_out)
        kill(-pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    if (!timed_out && WIFEXITED(status))
        run.exit_status = WEXITSTATUS(status);
    close(to_child);
    close(from_child);
    run.log = log.p;
    run.seconds = now() - start;
    classify(&run, timed_out);
    return run;
}

void guest_run_free(struct guest_run *run)
{
    free(run->log);
    run->log = NULL;
}

static void save_log(const char *arch, const char *name, const struct guest_run *run)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/test-results", BUILDDIR);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/test-results/logs", BUILDDIR);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/test-results/logs/%s-%s.log", BUILDDIR, arch, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(run->log, f);
        fclose(f);
    }
}

/* BUILDDIR/test-results/SUB/ARCH-NAME.EXT, its directories made (a
 * static buffer). */
static const char *result_path(const char *sub, const char *arch, const char *name, const char *ext)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/test-results", BUILDDIR);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/test-results/%s", BUILDDIR, sub);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/test-results/%s/%s-%s.%s", BUILDDIR, sub, arch, name, ext);
    return path;
}

const char *guest_disk_path(const char *arch, const char *name)
{
    return result_path("disks", arch, name, "img");
}

const char *guest_screendump_path(const char *arch, const char *name)
{
    static char path[4200];
    char pid[32]; /* two tests may boot the same guest test at once */
    snprintf(pid, sizeof pid, "%d.ppm", (int)getpid());
    snprintf(path, sizeof path, "%s", result_path("screens", arch, name, pid));
    return path;
}

void guest_make_disk(const char *path)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot create %s", path);
    for (unsigned s = 0; s < GUEST_DISK_SECTORS; s++) {
        uint32_t sector[128];
        for (unsigned i = 0; i < 128; i++)
            sector[i] = GUEST_DISK_PATTERN(s); /* the host is little-endian, as both guests */
        cr_assert_eq(fwrite(sector, sizeof sector, 1, f), 1);
    }
    cr_assert_eq(fclose(f), 0);
}

struct guest_run guest_run_test(const char *arch, const char *name, double timeout)
{
    char cmdline[256];
    snprintf(cmdline, sizeof cmdline, "test=%s", name);
    struct guest_opts opts = {.cmdline = cmdline, .timeout = timeout};
    if (strncmp(name, "disk_", 5) == 0) {
        opts.disk = guest_disk_path(arch, name);
        guest_make_disk(opts.disk);
    }
    opts.nic = strncmp(name, "net_", 4) == 0;
    char sock[4200];
    if (strncmp(name, "gfx_", 4) == 0) { /* a display; its picture when the test holds still */
        opts.display = true;
        opts.screendump = guest_screendump_path(arch, name);
        snprintf(sock, sizeof sock, "%s.monitor", opts.screendump);
        opts.monitor = sock;
        opts.screendump_when = GUEST_PICTURE_READY;
        unlink(opts.screendump);
    }
    bool fat = strncmp(name, "fs_", 3) == 0;
    if (fat) {
        size_t len = strlen(name);
        int type = len > 6 && !strcmp(name + len - 6, "_fat12")   ? 12
                   : len > 6 && !strcmp(name + len - 6, "_fat32") ? 32
                                                                  : 16;
        opts.disk = guest_disk_path(arch, name);
        guest_make_fat_disk_of(opts.disk, type);
    }
    char rule[64];
    pid_t connector = 0;
    if (strncmp(name, "net_fwd_", 8) == 0) {
        int port = guest_free_port();
        snprintf(rule, sizeof rule, "tcp:127.0.0.1:%d-:%d", port, GUEST_FWD_PORT);
        opts.hostfwd = rule;
        /* the host's connections come on the host's clock: under -icount
         * sleep=off a halted guest's would race past them */
        opts.real_time = true;
        connector = guest_start_connector(port);
    }
    struct guest_run run = guest_boot(arch, &opts);
    if (opts.monitor)
        unlink(opts.monitor);
    if (connector)
        guest_stop_connector(connector);
    save_log(arch, name, &run);
    if (fat && run.outcome == GUEST_PASS)
        guest_check_fat_disk(guest_disk_path(arch, name));
    return run;
}

char *guest_symbolized_against(const char *elf, const struct guest_run *run)
{
    char in_path[] = "/tmp/rialto-log-XXXXXX";
    int fd = mkstemp(in_path);
    cr_assert_neq(fd, -1);
    FILE *f = fdopen(fd, "w");
    fputs(run->log, f);
    fclose(f);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s/tools/symbolize' '%s' < '%s'", SRCDIR, elf, in_path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    struct logbuf out = {0};
    log_append(&out, "", 0);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        log_append(&out, buf, n);
    pclose(p);
    unlink(in_path);
    return out.p;
}

char *guest_symbolized_log(const char *arch, const struct guest_run *run)
{
    return guest_symbolized_against(run->kernel ? run->kernel : guest_kernel(arch, false), run);
}

void guest_expect_pass(const char *arch, const char *name)
{
    struct guest_run run = guest_run_test(arch, name, 0);
    if (!strncmp(name, "gfx_", 4)) /* its picture is test/gfx/screen.c's to judge */
        unlink(guest_screendump_path(arch, name));
    if (run.outcome != GUEST_PASS) {
        char *log = guest_symbolized_log(arch, &run);
        cr_log_error("%s guest test %s: %s after %.1f s\n--- serial log ---\n%s--- end ---", arch,
                     name, guest_outcome_name(run.outcome), run.seconds, log);
        free(log);
    }
    enum guest_outcome outcome = run.outcome;
    char verdict[sizeof run.verdict];
    snprintf(verdict, sizeof verdict, "%s", run.verdict[0] ? run.verdict : "no verdict line");
    guest_run_free(&run); /* before the assertion, which ends the test */
    cr_assert_eq(outcome, GUEST_PASS, "%s: %s: %s (%s)", arch, name, guest_outcome_name(outcome),
                 verdict);
}
