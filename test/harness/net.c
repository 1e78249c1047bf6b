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

int guest_free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_neq(s, -1);
    struct sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
    close(s);
    return ntohs(a.sin_port);
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
