/* test_sock's benchmark modes (test/net/guest/bench.c times them, with
 * tools/netpump on the host's side of forwarded ports):
 *   bench none              nothing (the baseline: start and exit)
 *   bench udprecv PORT N    N datagrams received on PORT
 *   bench udpsend N         N 64-byte datagrams sent to 10.0.2.2:9
 *   bench tcprecv PORT      one connection on PORT read to its end
 *   bench tcpecho PORT      one connection on PORT echoed to its end
 * Each prints what it moved, and exits 0 when it moved something. */
#include <ISocket.h>
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static uint8_t buf[8192];

static ISocket *socket_of(INetwork *net, uint32_t type, uint16_t port)
{
    ISocket *s = 0;
    NET_ADDR me = {NET_AF_INET, 0, port};
    if (FAILED(INetwork_CreateSocket(net, NET_AF_INET, type, &s)))
        return 0;
    if (port && FAILED(ISocket_Bind(s, &me))) {
        ISocket_Release(s);
        return 0;
    }
    return s;
}

static int udp_receive(INetwork *net, uint16_t port, unsigned n)
{
    ISocket *s = socket_of(net, NET_SOCK_DGRAM, port);
    if (s)
        ISocket_SetTimeout(s, 30000);
    NET_ADDR from;
    uint32_t got;
    unsigned i = 0;
    while (s && i < n && SUCCEEDED(ISocket_ReceiveFrom(s, sizeof buf, buf, &from, &got)))
        i++;
    if (s)
        ISocket_Release(s);
    printf("bench udprecv: %u datagrams\n", i);
    return i == n ? 0 : 1;
}

static int udp_send(INetwork *net, unsigned n)
{
    ISocket *s = socket_of(net, NET_SOCK_DGRAM, 0);
    NET_ADDR to = {NET_AF_INET, 0x0A000202, 9};
    uint32_t sent;
    unsigned i = 0;
    while (s && i < n && SUCCEEDED(ISocket_SendTo(s, 64, buf, &to, &sent)))
        i++;
    if (s)
        ISocket_Release(s);
    printf("bench udpsend: %u datagrams\n", i);
    return i == n ? 0 : 1;
}

/* One connection accepted on PORT: read (and with ECHO, sent back) to
 * its end. */
static int tcp(INetwork *net, uint16_t port, int echo)
{
    ISocket *l = socket_of(net, NET_SOCK_STREAM, port), *c = 0;
    NET_ADDR peer;
    uint32_t n, sent;
    unsigned long total = 0;
    if (l)
        ISocket_SetTimeout(l, 30000); /* netpump connects every 100 ms */
    if (l && SUCCEEDED(ISocket_Listen(l, 1)) && SUCCEEDED(ISocket_Accept(l, &c, &peer))) {
        ISocket_SetTimeout(c, 10000); /* a stream the host dropped ends here */
        while (SUCCEEDED(ISocket_Receive(c, sizeof buf, buf, &n)) && n &&
               (!echo || SUCCEEDED(ISocket_Send(c, n, buf, &sent))))
            total += n;
        ISocket_Release(c);
    }
    if (l)
        ISocket_Release(l);
    printf("bench tcp%s: %lu bytes\n", echo ? "echo" : "recv", total);
    return total ? 0 : 1;
}

int bench_net(INetwork *net, int argc, char **argv)
{
    const char *mode = argv[2];
    if (!strcmp(mode, "none"))
        return 0;
    if (!strcmp(mode, "udprecv") && argc == 5)
        return udp_receive(net, (uint16_t)strtoul(argv[3], 0, 10),
                           (unsigned)strtoul(argv[4], 0, 10));
    if (!strcmp(mode, "udpsend") && argc == 4)
        return udp_send(net, (unsigned)strtoul(argv[3], 0, 10));
    if (!strcmp(mode, "tcprecv") && argc == 4)
        return tcp(net, (uint16_t)strtoul(argv[3], 0, 10), 0);
    if (!strcmp(mode, "tcpecho") && argc == 4)
        return tcp(net, (uint16_t)strtoul(argv[3], 0, 10), 1);
    return 3;
}
