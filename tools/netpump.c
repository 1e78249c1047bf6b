/* netpump MODE PORT ARG: the host's side of the network benchmarks
 * (tools/bench, bench_net): traffic to a port QEMU forwards to the guest,
 * until killed.
 *   udp PORT SIZE    a SIZE-byte datagram every 200 microseconds while a
 *                    TCP connection to the same PORT (the guest's
 *                    go-ahead, see go_ahead) is open; connected again
 *                    (tried until the guest listens). Datagrams the
 *                    guest does not wait for would be counted against
 *                    whatever it measures meanwhile.
 *   tcp PORT BYTES   connect, send BYTES, end, read to the guest's end;
 *                    again (tried until the guest listens)
 *   echo PORT BYTES  connect, send BYTES while reading them back; again
 * Every connection starts with the guest's go-ahead (go_ahead). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in to;

static void pause_us(long us)
{
    struct timespec t = {us / 1000000, us % 1000000 * 1000};
    nanosleep(&t, NULL);
}

static int connected(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(s, (struct sockaddr *)&to, sizeof to) == 0)
        return s;
    close(s);
    return -1;
}

/* The guest's 'g' answered with 'G' on a new connection: whether the
 * guest has it. QEMU accepts a forwarded connection before the guest
 * does, and may hand the guest's listener an older attempt's SYN, so
 * neither side trusts a connection before this exchange. */
static int go_ahead(int s)
{
    char c;
    struct pollfd p = {s, POLLIN, 0};
    return poll(&p, 1, 2000) > 0 && recv(s, &c, 1, 0) == 1 && c == 'g' &&
           send(s, "G", 1, MSG_NOSIGNAL) == 1;
}

/* Datagrams until the guest closes the go-ahead connection. */
static void udp_while(int go, size_t size)
{
    char buf[1472] = {0};
    struct pollfd p = {go, POLLIN, 0};
    if (!go_ahead(go))
        return;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    for (unsigned i = 0; poll(&p, 1, 0) == 0; i++) {
        memcpy(buf, &i, sizeof i);
        sendto(s, buf, size < sizeof buf ? size : sizeof buf, 0, (struct sockaddr *)&to, sizeof to);
        pause_us(200);
    }
    close(s);
}

static void udp(size_t size)
{
    for (;;) {
        int go = connected();
        if (go >= 0) {
            udp_while(go, size);
            close(go);
        }
        pause_us(100000);
    }
}

/* One connection: BYTES out (echo: while reading them back), then to
 * the end. */
static void once(size_t bytes, int echo)
{
    static char out[65536], in[65536];
    int s = connected();
    if (s < 0)
        return;
    if (!go_ahead(s)) {
        close(s);
        return;
    }
    size_t sent = 0;
    for (;;) {
        struct pollfd p = {s, (short)(POLLIN | (sent < bytes ? POLLOUT : 0)), 0};
        if (poll(&p, 1, 30000) <= 0)
            break;
        if ((p.revents & POLLOUT) && sent < bytes) {
            size_t n = bytes - sent < sizeof out ? bytes - sent : sizeof out;
            ssize_t k = send(s, out, echo && n > 4096 ? 4096 : n, MSG_NOSIGNAL);
            if (k <= 0)
                break;
            if ((sent += (size_t)k) == bytes)
                shutdown(s, SHUT_WR);
        }
        if ((p.revents & (POLLIN | POLLHUP | POLLERR)) && recv(s, in, sizeof in, 0) <= 0)
            break;
    }
    close(s);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: netpump udp|tcp|echo PORT ARG\n");
        return 2;
    }
    to.sin_family = AF_INET;
    to.sin_port = htons((uint16_t)atoi(argv[2]));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    size_t arg = (size_t)atol(argv[3]);
    if (!strcmp(argv[1], "udp"))
        udp(arg);
    for (;;) {
        once(arg, !strcmp(argv[1], "echo"));
        pause_us(100000);
    }
}
