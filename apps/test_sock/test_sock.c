/* test_sock: the network service's app test (services/net). The same
 * program, the same calls, whichever placement net has: it finds "net"
 * by name and uses INetwork and ISocket on QEMU's restricted user
 * network (test/net/service.c boots it).
 * Mode (argv[1]):
 *   check         the configuration DHCP gave, Resolve, ping, and every
 *                 error a caller can make; exit 0 when all hold
 *   fetch NAME    NAME over TFTP from the DHCP server: prints its size and
 *                 FNV-1a hash for the host to compare
 *   echo PORT N   serves TCP connections on PORT one after another,
 *                 sending back what each sends until it ends, until N
 *                 have ended cleanly with something echoed (the same
 *                 echo twice in a row counts once: see echo), then a
 *                 second more for a retry of the last (see linger)
 *   udpecho PORT N  sends back N datagrams to whoever sent them
 *   udpsend IP PORT N  sends N numbered datagrams to IP:PORT, each until
 *                 its echo comes back intact (test/net/two_guests.c)
 *   bench MODE ...  a benchmark's run (bench.c) */
#include <ISocket.h>
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utest.h>

#include "bench.h"

static INetwork *net;

#define GUEST_IP  0x0A00020F /* 10.0.2.15 */
#define GATEWAY   0x0A000202 /* 10.0.2.2 */
#define HASH_SEED 2166136261u

static void config(void)
{
    NET_CONFIG c;
    CHECK_EQ(INetwork_GetConfig(net, &c), S_OK);
    CHECK_EQ(c.Address, GUEST_IP);
    CHECK_EQ(c.Netmask, 0xFFFFFF00);
    CHECK_EQ(c.Server, GATEWAY);
    CHECK(c.Mac[0] == 0x52 && c.Mac[1] == 0x54, "QEMU's MAC: %02x:%02x", c.Mac[0], c.Mac[1]);
    NET_COUNTER k;
    CHECK_EQ(INetwork_GetCounter(net, 0, &k), S_OK);
    CHECK(k.Name[0] != 0, "counters have names");
    CHECK_EQ(INetwork_GetCounter(net, 100000, &k), SOCK_E_BAD_ARG);
}

static void resolve(void)
{
    static const char *const bad[] = {"", "1.2.3", "256.1.1.1", "1.2.3.4x", "a.b.c.d", "1..2.3"};
    NET_ADDR a;
    CHECK_EQ(INetwork_Resolve(net, "10.0.2.2", &a), S_OK);
    CHECK(a.Address == GATEWAY && a.Family == NET_AF_INET, "%#x", (unsigned)a.Address);
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(INetwork_Resolve(net, bad[i], &a), SOCK_E_BAD_ARG);
}

static void ping(void)
{
    uint32_t rtt = 12345;
    CHECK_EQ(INetwork_Ping(net, GATEWAY, 2000, &rtt), S_OK);
    CHECK(rtt < 2000, "rtt %u ms", (unsigned)rtt);
    CHECK_EQ(INetwork_Ping(net, 0x0A000263, 300, &rtt), SOCK_E_TIMEOUT); /* 10.0.2.99: nobody */
}

static void errors(void)
{
    static uint8_t buf[NET_MAX_IO + 1];
    ISocket *s = 0, *d = 0, *x = (ISocket *)1;
    uint32_t n;
    NET_ADDR peer, to = {NET_AF_INET, GATEWAY, 7};
    CHECK_EQ(INetwork_CreateSocket(net, 1, NET_SOCK_STREAM, &x), SOCK_E_BAD_ARG);
    CHECK(x == 0, "no object on failure");
    CHECK_EQ(INetwork_CreateSocket(net, NET_AF_INET, 9, &x), SOCK_E_BAD_ARG);
    CHECK_EQ(INetwork_CreateSocket(net, NET_AF_INET, NET_SOCK_STREAM, &s), S_OK);
    CHECK_EQ(INetwork_CreateSocket(net, NET_AF_INET, NET_SOCK_DGRAM, &d), S_OK);
    if (!s || !d)
        return;
    CHECK_EQ(ISocket_Send(s, 1, buf, &n), SOCK_E_WRONG_STATE);
    CHECK_EQ(ISocket_Listen(s, 1), SOCK_E_WRONG_STATE); /* no port bound */
    CHECK_EQ(ISocket_Accept(s, &x, &peer), SOCK_E_WRONG_STATE);
    CHECK_EQ(ISocket_SendTo(s, 1, buf, &to, &n), SOCK_E_WRONG_STATE);
    CHECK_EQ(ISocket_Listen(d, 1), SOCK_E_WRONG_STATE);
    CHECK_EQ(ISocket_Connect(d, &to), SOCK_E_WRONG_STATE);
    CHECK_EQ(ISocket_ReceiveFrom(d, 1, buf, &peer, &n), SOCK_E_WRONG_STATE); /* unbound */
    CHECK_EQ(ISocket_SendTo(d, 2000, buf, &to, &n), SOCK_E_TOO_BIG);         /* over one frame */
    CHECK_EQ(ISocket_Receive(s, NET_MAX_IO + 1, buf, &n), SOCK_E_WRONG_STATE);
    NET_ADDR port = {NET_AF_INET, 0, 5555};
    CHECK_EQ(ISocket_Bind(d, &port), S_OK);
    CHECK_EQ(ISocket_Bind(d, &port), SOCK_E_WRONG_STATE); /* bound already */
    CHECK_EQ(ISocket_SetTimeout(d, 100), S_OK);
    CHECK_EQ(ISocket_ReceiveFrom(d, 16, buf, &peer, &n), SOCK_E_TIMEOUT);
    CHECK_EQ(ISocket_ReceiveFrom(d, NET_MAX_IO + 1, buf, &peer, &n), SOCK_E_TOO_BIG);
    ISocket *d2 = 0;
    CHECK_EQ(INetwork_CreateSocket(net, NET_AF_INET, NET_SOCK_DGRAM, &d2), S_OK);
    CHECK_EQ(d2 ? ISocket_Bind(d2, &port) : E_FAIL, SOCK_E_IN_USE);
    NET_SOCKET info;
    CHECK_EQ(INetwork_GetSocket(net, 0, &info), S_OK);
    CHECK_EQ(INetwork_GetSocket(net, 1000, &info), SOCK_E_BAD_ARG);
    if (d2)
        ISocket_Release(d2);
    ISocket_Release(s);
    ISocket_Release(d);
}

static uint32_t fnv(const uint8_t *p, uint32_t n)
{
    uint32_t h = HASH_SEED;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static int fetch(const char *name)
{
    static uint8_t buf[NET_MAX_IO];
    uint32_t got = 0;
    SCODE sc = INetwork_Fetch(net, name, sizeof buf, buf, &got);
    printf("fetch: %s: %#x, %u bytes, fnv %#08x\n", name, (unsigned)sc, (unsigned)got,
           (unsigned)fnv(buf, got));
    return FAILED(sc);
}

/* One connection: back what comes, until the peer's end. The bytes
 * echoed when it ended cleanly with some; 0 otherwise. QEMU may hand
 * the listener a SYN of an attempt the host has given up on (it accepts
 * a forwarded connection before the guest does): such a connection is
 * reset or ends empty, and is not one the host counts. */
static uint32_t echo_one(ISocket *c, uint8_t *first)
{
    static uint8_t buf[8192];
    uint32_t n, sent, total = 0;
    SCODE sc;
    while (SUCCEEDED(sc = ISocket_Receive(c, sizeof buf, buf, &n)) && n) {
        if (FAILED(sc = ISocket_Send(c, n, buf, &sent)) || sent != n)
            return 0;
        if (!total)
            *first = buf[0];
        total += n;
    }
    return SUCCEEDED(sc) ? total : 0;
}

/* The last echo counted may be one the host gave up on (it came whole
 * here, not back there): its retry is on its way, a fifth of a second
 * later. For a moment more, a connection that starts as the last echo
 * did is served and not counted; anything else is the host's next echo,
 * for the next run: closed unanswered, the host tries it again. Without
 * this the retry found nobody, or the next run counted it and ended one
 * echo early, and the host's last exchange found nobody. */
#define LINGER_MS 1000

static unsigned linger(ISocket *l, uint8_t last_first)
{
    unsigned again = 0;
    ISocket *c;
    NET_ADDR peer;
    static uint8_t buf[8192];
    uint32_t n, sent;
    uint64_t end = TimeMs() + LINGER_MS; /* the host's next echo may knock meanwhile */
    if (FAILED(ISocket_SetTimeout(l, LINGER_MS)))
        return 0;
    while (TimeMs() < end && SUCCEEDED(ISocket_Accept(l, &c, &peer))) {
        if (SUCCEEDED(ISocket_SetTimeout(c, LINGER_MS)) &&
            SUCCEEDED(ISocket_Receive(c, sizeof buf, buf, &n)) && n && buf[0] == last_first &&
            SUCCEEDED(ISocket_Send(c, n, buf, &sent)) && sent == n) {
            uint8_t first;
            echo_one(c, &first);
            again++;
        }
        ISocket_Release(c);
    }
    return again;
}

static int echo(uint16_t port, unsigned count)
{
    ISocket *l = 0, *c;
    NET_ADDR me = {NET_AF_INET, 0, port}, peer;
    uint64_t bytes = 0;
    CHECK_EQ(INetwork_CreateSocket(net, NET_AF_INET, NET_SOCK_STREAM, &l), S_OK);
    CHECK_EQ(l ? ISocket_Bind(l, &me) : E_FAIL, S_OK);
    CHECK_EQ(l ? ISocket_Listen(l, 4) : E_FAIL, S_OK);
    unsigned served = 0;
    uint64_t last = 0; /* the previous counted echo's length and first byte */
    while (l && served < count && SUCCEEDED(ISocket_Accept(l, &c, &peer))) {
        uint8_t first = 0;
        uint32_t echoed = echo_one(c, &first);
        uint64_t key = (uint64_t)echoed << 8 | first;
        /* An attempt the host gave up on can still arrive whole, data and
         * end, just before the host's retry of it: the same echo twice in
         * a row counts once (the host's pieces differ from one to the next). */
        if (echoed && key != last)
            bytes += echoed, served++, last = key;
        ISocket_Release(c);
    }
    unsigned again = l && served == count ? linger(l, (uint8_t)last) : 0;
    if (again)
        printf("echo: the last one again %u times, uncounted\n", again);
    if (l)
        ISocket_Release(l);
    printf("echo: %u connections, %lu bytes\n", served, (unsigned long)bytes);
    return served == count ? utest_failures : 1;
}

static ISocket *udp_socket(uint16_t port, uint32_t timeout_ms)
{
    ISocket *s = 0;
    NET_ADDR me = {NET_AF_INET, 0, port};
    CHECK_EQ(INetwork_CreateSocket(net, NET_AF_INET, NET_SOCK_DGRAM, &s), S_OK);
    CHECK_EQ(s ? ISocket_Bind(s, &me) : E_FAIL, S_OK);
    if (s)
        ISocket_SetTimeout(s, timeout_ms);
    return s;
}

/* Echoes until COUNT distinct numbered datagrams went back (a sender
 * sends one again when its echo is late: copies do not count). */
static int udp_echo(uint16_t port, unsigned count)
{
    uint8_t buf[1472], *seen = calloc(count, 1);
    uint32_t n, sent, id;
    NET_ADDR from;
    ISocket *s = seen ? udp_socket(port, 0) : 0;
    unsigned done = 0;
    while (s && done < count && SUCCEEDED(ISocket_ReceiveFrom(s, sizeof buf, buf, &from, &n))) {
        if (FAILED(ISocket_SendTo(s, n, buf, &from, &sent)) || n < 4)
            continue;
        memcpy(&id, buf, 4);
        if (id < count && !seen[id])
            seen[id] = 1, done++;
    }
    free(seen);
    printf("udpecho: %u datagrams\n", done);
    if (s)
        ISocket_Release(s);
    return done == count ? 0 : 1;
}

/* Datagram I: 64 bytes, its number then a pattern of it. */
static void numbered(uint8_t *p, uint32_t i)
{
    memcpy(p, &i, 4);
    for (uint32_t k = 4; k < 64; k++)
        p[k] = (uint8_t)(i * 31 + k);
}

static int udp_send(const char *ip, uint16_t port, unsigned count)
{
    uint8_t out[64], in[128];
    uint32_t n, sent;
    NET_ADDR to, from;
    if (FAILED(INetwork_Resolve(net, ip, &to)))
        return 2;
    to.Port = port;
    ISocket *s = udp_socket(0, 200);
    unsigned echoed = 0, tries = 0;
    for (uint32_t i = 0; s && i < count && tries < 300; tries++) {
        numbered(out, i);
        ISocket_SendTo(s, sizeof out, out, &to, &sent);
        while (SUCCEEDED(ISocket_ReceiveFrom(s, sizeof in, in, &from, &n)))
            if (n == sizeof out && !memcmp(in, out, n)) {
                echoed++, i++, tries = 0;
                break;
            }
    }
    printf("udpsend: %u of %u echoed intact\n", echoed, count);
    if (s)
        ISocket_Release(s);
    return echoed == count ? 0 : 1;
}

int main(int argc, char **argv)
{
    SCODE sc = INameService_Lookup(NameService(), "net", &IID_INetwork, (void **)&net);
    if (FAILED(sc)) {
        printf("test_sock: no net service (%#x)\n", (unsigned)sc);
        return 2;
    }
    if (argc >= 3 && !strcmp(argv[1], "bench"))
        return bench_net(net, argc, argv);
    if (argc == 3 && !strcmp(argv[1], "fetch"))
        return fetch(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "udpecho"))
        return udp_echo((uint16_t)strtoul(argv[2], 0, 10), (unsigned)strtoul(argv[3], 0, 10));
    if (argc == 5 && !strcmp(argv[1], "udpsend"))
        return udp_send(argv[2], (uint16_t)strtoul(argv[3], 0, 10),
                        (unsigned)strtoul(argv[4], 0, 10));
    if (argc == 4 && !strcmp(argv[1], "echo"))
        return echo((uint16_t)strtoul(argv[2], 0, 10), (unsigned)strtoul(argv[3], 0, 10));
    if (argc < 2 || strcmp(argv[1], "check"))
        return 3;
    config();
    resolve();
    ping();
    errors();
    printf("test_sock: %d failures\n", utest_failures);
    return utest_failures ? 1 : 0;
}
