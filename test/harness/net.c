/* The network of net_fwd_* guest tests (see guest.h): a free host port
 * forwarded to the guest, and a process that keeps connecting to it. */
#include "guest.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* A port outside Linux's ephemeral range (32768-60999), picked by the
 * process id and a count and checked free: the kernel's own choice (bind
 * to port 0) can go to another test's QEMU, or a connection, between
 * our close and QEMU's bind, and QEMU then fails to forward. */
int guest_free_port(void)
{
    static unsigned turn;
    for (unsigned i = 0; i < 1000; i++) {
        int port = 20000 + (int)(((unsigned)getpid() * 97 + turn++ * 7919) % 12000);
        int s = socket(AF_INET, SOCK_STREAM, 0);
        cr_assert_neq(s, -1);
        struct sockaddr_in a = loopback(port);
        int free = bind(s, (struct sockaddr *)&a, sizeof a) == 0;
        close(s);
        if (free)
            return port;
    }
    cr_assert_fail("no free port in 20000-31999");
    return -1;
}

/* The child: connect, hold the connection a moment, again, every 0.1 s. */
static void connect_forever(int port)
{
    const struct timespec pause = {0, 100 * 1000 * 1000};
    for (;;) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = loopback(port);
        if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0)
            nanosleep(&pause, NULL);
        if (s >= 0)
            close(s);
        nanosleep(&pause, NULL);
    }
}

pid_t guest_start_connector(int port)
{
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        connect_forever(port);
        _exit(0);
    }
    return pid;
}

void guest_stop_connector(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

int guest_reap(pid_t pid, double seconds)
{
    int status = -1;
    for (double waited = 0; waited < seconds; waited += 0.1) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return status;
        usleep(100 * 1000);
    }
    if (waitpid(pid, &status, WNOHANG) == pid)
        return status;
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return status;
}
