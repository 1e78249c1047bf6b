/* The network service in the guest, fs's way: apps/test_sock under the
 * shell with net in the kernel and in a process, on QEMU's restricted
 * user network in real time (its DHCP, TFTP and forwarded ports run on
 * the host's clock): the configuration, every caller error, a file over
 * TFTP compared with the host's, and a TCP echo through a forwarded port
 * of 1 MiB (checked byte for byte) and then many short connections, with
 * the guest's sockets and socket objects all gone after (netstat,
 * ifconfig's socket_objects) and its free pages where
 * they were after the first round when 60 more have come and gone; the
 * shell's ifconfig and ping. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../harness/guest.h"

#define BIG    (1024 * 1024)
#define SHORT  20 /* short connections after the big one */
#define SMALL  100
#define TFTP_N 20000
#define ROUNDS 3 /* of SHORT connections more, for the leak check */

static uint32_t fnv(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)((i * 131 + seed * 7 + i / 509) & 0xFF);
}

static int dial(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0)
        return s;
    if (s >= 0)
        close(s);
    return -1;
}

/* OUT through the connection and back into IN at once (the guest echoes
 * as it reads, through windows of a few KiB); 0 when all came back. */
static int exchange(int s, const uint8_t *out, uint8_t *in, size_t n)
{
    size_t sent = 0, got = 0;
    fcntl(s, F_SETFL, O_NONBLOCK);
    while (got < n) {
        struct pollfd p = {s, (short)(POLLIN | (sent < n ? POLLOUT : 0)), 0};
        if (poll(&p, 1, 20000) <= 0)
            return -1;
        if ((p.revents & POLLOUT) && sent < n) {
            ssize_t k = send(s, out + sent, n - sent < 4096 ? n - sent : 4096, MSG_NOSIGNAL);
            if (k < 0)
                return -1;
            sent += (size_t)k;
            if (sent == n)
                shutdown(s, SHUT_WR);
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t k = recv(s, in + got, n - got, 0);
            if (k <= 0)
                return -1; /* not the guest's yet: QEMU closed it */
            got += (size_t)k;
        }
    }
    return memcmp(in, out, n) ? 1 : 0;
}

/* One echo of N bytes of OUT through a new connection, tried again
 * (TRIES times, a fifth of a second apart) while the connection fails
 * before the echo is whole: the guest's echo may not be listening yet,
 * or again. 0: it came back; 1: it came back wrong; -1: never. */
static int echo_once(int port, const uint8_t *out, uint8_t *in, size_t n, int tries)
{
    const struct timespec pause = {0, 200 * 1000 * 1000};
    int r = -1;
    for (int t = 0; r < 0 && t < tries; t++) {
        int s = dial(port);
        r = s < 0 ? -1 : exchange(s, out, in, n);
        if (s >= 0)
            close(s);
        if (r < 0)
            nanosleep(&pause, NULL);
    }
    return r;
}

/* The child: the big exchange, then the short ones (the first round's
 * and ROUNDS more for the leak check), each tried until the guest's echo
 * takes it; exits 0 when every byte came back. */
static void client(int port)
{
    uint8_t *out = malloc(BIG), *in = malloc(BIG);
    fill(out, BIG, 3);
    int r = echo_once(port, out, in, BIG, 400);
    for (int i = 0; r == 0 && i < (ROUNDS + 1) * SHORT; i++)
        r = echo_once(port, out + i % SHORT, in, SMALL, 100);
    _exit(r == 0 ? 0 : 1);
}

/* Free pages after each round: 60 more connections take no more than
 * what comes and goes with the timing: a page of a thread stack
 * reclaimed at a second's boundary (31841 31840 31841 31840 on x86,
 * kernel placement) and, in a process, its pool's threads, started on
 * demand and ended when idle (31213 31209 31207 31208 on MIPS). The
 * first round may grow the service's heap: the rounds after it count. A
 * leak of a page every 8 connections would show. */
static void expect_no_leak(const char *arch, const char *cmdline, const char *log)
{
    long left[ROUNDS + 1] = {0};
    int rounds = 0;
    for (const char *at = log; rounds <= ROUNDS && (at = strstr(at, "shell> mem\npages: ")); at++)
        sscanf(strstr(at, " total, ") + 8, "%ld", &left[rounds++]);
    long least = left[1];
    for (int i = 2; i < rounds; i++)
        least = left[i] < least ? left[i] : least;
    cr_expect(rounds == ROUNDS + 1 && least >= left[1] - 8 && left[ROUNDS] >= left[1] - 8,
              "%s %s: free pages after the rounds: %ld %ld %ld %ld", arch, cmdline, left[0],
              left[1], left[2], left[3]);
}

static void service(const char *arch, const char *cmdline)
{
    char dir[512], file[600], want[128], input[256], rule[64];
    uint8_t *data = malloc(TFTP_N);
    snprintf(dir, sizeof dir, "%s/test-results/tftp-%s", BUILDDIR, arch);
    mkdir(dir, 0755);
    snprintf(file, sizeof file, "%s/data.bin", dir);
    fill(data, TFTP_N, (unsigned)getpid());
    FILE *f = fopen(file, "wb");
    cr_assert_not_null(f);
    fwrite(data, 1, TFTP_N, f);
    fclose(f);
    int port = guest_free_port();
    snprintf(rule, sizeof rule, "tcp:127.0.0.1:%d-:7", port);
    snprintf(input, sizeof input,
             "ifconfig\nping 10.0.2.2\nrun test_sock check\nrun test_sock fetch data.bin\n"
             "run test_sock echo 7 %d\nmem\nrun test_sock echo 7 %d\nmem\nrun test_sock echo 7 %d\n"
             "mem\nrun test_sock echo 7 %d\nmem\nrun sleep 1\nnetstat\nifconfig\nhalt\n",
             SHORT + 1, SHORT, SHORT, SHORT);
    pid_t child = fork();
    cr_assert_neq(child, -1);
    if (child == 0)
        client(port);
    struct guest_opts opts = {.cmdline = cmdline,
                              .input = input,
                              .timeout = 180,
                              .real_time = true,
                              .nic = true,
                              .hostfwd = rule,
                              .tftp = dir};
    struct guest_run run = guest_boot(arch, &opts);
    int status = guest_reap(child, 10); /* its last connection may still be closing */
    const char *log = run.log;
    cr_assert_eq(run.outcome, GUEST_NO_VERDICT, "%s: %s\n%s", arch, run.verdict, log);
    cr_expect(strstr(log, "test_sock: 0 failures"), "%s %s: %s", arch, cmdline, log);
    snprintf(want, sizeof want, "fetch: data.bin: 0, %d bytes, fnv %#08x", TFTP_N,
             (unsigned)fnv(data, TFTP_N));
    cr_expect(strstr(log, want), "%s %s: no \"%s\" in %s", arch, cmdline, want, log);
    snprintf(want, sizeof want, "echo: %d connections, %d bytes", SHORT + 1, BIG + SHORT * SMALL);
    cr_expect(strstr(log, want), "%s %s: no \"%s\" in %s", arch, cmdline, want, log);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s %s: the host's echo client: %#x",
              arch, cmdline, status);
    cr_expect(strstr(log, "  net0: inet 10.0.2.15 netmask 255.255.255.0"), "%s: %s", arch, log);
    expect_no_leak(arch, cmdline, log);
    /* (netstat a second after the last echo ended: in a process placement
     * the sockets' last Release reaches the service a moment later) */
    cr_expect(!strstr(log, "ESTABLISHED") && !strstr(log, "LISTEN"),
              "%s %s: sockets left after the echo: %s", arch, cmdline, log);
    const char *last = strstr(log, "shell> netstat"), *objects = last;
    while (objects && strstr(objects + 1, "  socket_objects "))
        objects = strstr(objects + 1, "  socket_objects ");
    cr_expect(objects && objects != last && atol(objects + 17) == 0,
              "%s %s: ISocket objects left after the echo: %s", arch, cmdline, log);
    free(data);
    guest_run_free(&run);
}

static void both_placements(const char *arch)
{
    service(arch, "init=shell");
    service(arch, "init=shell place.net=process");
}
BOTH_ARCHES(net_service_in_both_placements, both_placements)
