/* Two guests on one wire (tools/qemu --nic-dgram: each QEMU's frames go
 * as UDP datagrams to the other's port on 127.0.0.1), each with a static
 * address (net.arg=ip=...): one echoes datagrams, the other sends 200
 * numbered ones and checks each comes back intact. Both booted at once,
 * the echoing one in a child process; net in the kernel on one side and
 * in a process on the other, then the other way round. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness/guest.h"

#define DATAGRAMS 200

static struct guest_run boot(const char *arch, const char *dgram, const char *cmdline,
                             const char *input)
{
    struct guest_opts opts = {
        .cmdline = cmdline, .input = input, .timeout = 150, .real_time = true, .dgram = dgram};
    return guest_boot(arch, &opts);
}

static void pair(const char *arch, const char *echo_place, const char *send_place)
{
    int a = guest_free_port(), b = guest_free_port();
    char dgram_a[64], dgram_b[64], cmd_a[128], cmd_b[128], in_a[64], in_b[96];
    snprintf(dgram_a, sizeof dgram_a, "%d:%d:52:54:00:12:34:01", a, b);
    snprintf(dgram_b, sizeof dgram_b, "%d:%d:52:54:00:12:34:02", b, a);
    snprintf(cmd_a, sizeof cmd_a, "init=shell net.arg=ip=10.0.4.1%s", echo_place);
    snprintf(cmd_b, sizeof cmd_b, "init=shell net.arg=ip=10.0.4.2%s", send_place);
    snprintf(in_a, sizeof in_a, "run test_sock udpecho 7 %d\nhalt\n", DATAGRAMS);
    snprintf(in_b, sizeof in_b, "run test_sock udpsend 10.0.4.1 7 %d\nhalt\n", DATAGRAMS);
    pid_t child = fork();
    cr_assert_neq(child, -1);
    if (child == 0) {
        struct guest_run r = boot(arch, dgram_a, cmd_a, in_a);
        char want[64];
        snprintf(want, sizeof want, "udpecho: %d datagrams", DATAGRAMS);
        _exit(r.outcome == GUEST_NO_VERDICT && strstr(r.log, want) ? 0 : 1);
    }
    struct guest_run run = boot(arch, dgram_b, cmd_b, in_b);
    int status = guest_reap(child, 20);
    char want[64];
    snprintf(want, sizeof want, "udpsend: %d of %d echoed intact", DATAGRAMS, DATAGRAMS);
    cr_assert_eq(run.outcome, GUEST_NO_VERDICT, "%s: %s\n%s", arch, run.verdict, run.log);
    cr_expect(strstr(run.log, "net: 10.0.4.2, static"), "%s: %s", arch, run.log);
    cr_expect(strstr(run.log, want), "%s (%s, %s): %s", arch, echo_place, send_place, run.log);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: the echoing guest: %#x", arch,
              status);
    guest_run_free(&run);
}

static void both_ways(const char *arch)
{
    pair(arch, "", " place.net=process");
    pair(arch, " place.net=process", "");
}
BOTH_ARCHES(net_two_guests_udp_echo, both_ways)
