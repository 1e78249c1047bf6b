/* netpump MODE PORT ARG: the host's side of the network benchmarks
 * (tools/bench, bench_net): traffic to a port QEMU forwards to the guest,
 * until killed.
 *   udp PORT SIZE    a SIZE-byte datagram every 200 microseconds
 *   tcp PORT BYTES   connect, send BYTES, end, read to the guest's end;
 *                    again (tried until the guest listens)
 *   echo PORT BYTES  connect, send BYTES while reading them back; again */
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

static void udp(size_t size)
{
    char buf[1472] = {0};
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    for (unsigned i = 0;; i++) {
        memcpy(buf, &i, sizeof i);
        sendto(s, buf, size < sizeof buf ? size : sizeof buf, 0, (struct sockaddr *)&to, sizeof to);
        pause_us(200);
    }
}

/* One connection: BYTES out (echo: while reading them back), then to
 * the end. */
static void once(size_t bytes, int echo)
{
    static char out[65536], in[65536];
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(s, (struct sockaddr *)&to, sizeof to) != 0) {
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
