/* test_sock's benchmark modes (test/net/guest/bench.c times them, with
 * tools/netpump on the host's side of forwarded ports):
 *   bench none              nothing (the baseline: start and exit)
 *   bench udprecv PORT N    N datagrams received on PORT; a TCP
 *                           connection accepted on PORT tells the host
 *                           when to start (its go-ahead) and stop (its
 *                           close)
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

/* The go-ahead on a new connection (tools/netpump's go_ahead): 'g'
 * out, 'G' back. QEMU may hand the listener a SYN of an attempt the
 * host has given up on; such a connection fails here. */
static int go_ahead(ISocket *c)
{
    uint8_t g = 0;
    uint32_t n = 0;
    ISocket_SetTimeout(c, 3000);
    return SUCCEEDED(ISocket_Send(c, 1, (const uint8_t *)"g", &n)) &&
           SUCCEEDED(ISocket_Receive(c, 1, &g, &n)) && n == 1 && g == 'G';
}

/* A connection accepted on PORT (the host tries every 100 ms) that has
 * had its go-ahead, or 0. */
static ISocket *accepted(INetwork *net, uint16_t port)
{
    ISocket *l = socket_of(net, NET_SOCK_STREAM, port), *c = 0;
    NET_ADDR peer;
    if (l)
        ISocket_SetTimeout(l, 30000);
    if (l && FAILED(ISocket_Listen(l, 4)))
        ISocket_Release(l), l = 0;
    for (int tries = 0; l && !c && tries < 10 && SUCCEEDED(ISocket_Accept(l, &c, &peer)); tries++)
        if (!go_ahead(c))
            ISocket_Release(c), c = 0;
    if (c)
        ISocket_SetTimeout(c, 10000); /* a stream the host dropped ends here */
    if (l)
        ISocket_Release(l);
    return c;
}

static int udp_receive(INetwork *net, uint16_t port, unsigned n)
{
    ISocket *s = socket_of(net, NET_SOCK_DGRAM, port), *go = s ? accepted(net, port) : 0;
    if (s)
        ISocket_SetTimeout(s, 30000);
    NET_ADDR from;
    uint32_t got;
    unsigned i = 0;
    while (go && i < n && SUCCEEDED(ISocket_ReceiveFrom(s, sizeof buf, buf, &from, &got)))
        i++;
    if (go)
        ISocket_Release(go);
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
    ISocket *c = accepted(net, port);
    uint32_t n, sent;
    unsigned long total = 0;
    if (c) {
        while (SUCCEEDED(ISocket_Receive(c, sizeof buf, buf, &n)) && n &&
               (!echo || SUCCEEDED(ISocket_Send(c, n, buf, &sent))))
            total += n;
        ISocket_Release(c);
    }
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
