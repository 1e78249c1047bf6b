/* The shell's network commands (see net.h). A failure prints
 * "CMD: failed (CODE)" with the service's SOCK_E_* code. */
#include "net.h"
#include <ISocket.h>
#include <rialto.h>
#include <stdio.h>
#include <string.h>

#define PINGS 4

/* The service, looked up again until it is there (no card: no "net"). */
static INetwork *net(void)
{
    static INetwork *found;
    if (!found &&
        FAILED(INameService_Lookup(NameService(), "net", &IID_INetwork, (void **)&found))) {
        printf("no network (the machine has no card, or net did not start)\n");
        found = NULL;
    }
    return found;
}

static void print_ip(const char *label, uint32_t ip)
{
    printf("%s%u.%u.%u.%u", label, ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255);
}

void cmd_ifconfig(char *args)
{
    (void)args;
    INetwork *n = net();
    NET_CONFIG c;
    NET_COUNTER k;
    if (!n || FAILED(INetwork_GetConfig(n, &c)))
        return;
    print_ip("  net0: inet ", c.Address);
    print_ip(" netmask ", c.Netmask);
    print_ip(" router ", c.Router);
    printf("\n  ether %02x:%02x:%02x:%02x:%02x:%02x, lease %u s\n", c.Mac[0], c.Mac[1], c.Mac[2],
           c.Mac[3], c.Mac[4], c.Mac[5], (unsigned)c.LeaseSeconds);
    for (uint32_t i = 0; SUCCEEDED(INetwork_GetCounter(n, i, &k)); i++)
        if (k.Value || !strcmp(k.Name, "socket_objects")) /* a leak check reads its 0 */
            printf("  %-28s %lu\n", k.Name, (unsigned long)k.Value);
}

void cmd_ping(char *args)
{
    INetwork *n = net();
    NET_ADDR to;
    SCODE sc = n ? INetwork_Resolve(n, args, &to) : S_FALSE;
    if (FAILED(sc))
        printf("ping: %s: failed (%#x)\n", args, (unsigned)sc);
    if (sc != S_OK)
        return;
    unsigned answered = 0;
    for (unsigned i = 0; i < PINGS; i++) {
        uint32_t rtt = 0;
        sc = INetwork_Ping(n, to.Address, 1000, &rtt);
        if (SUCCEEDED(sc))
            printf("  reply from %s: %u ms\n", args, (unsigned)rtt), answered++;
        else
            printf("  no reply from %s (%#x)\n", args, (unsigned)sc);
    }
    printf("  %u of %u answered\n", answered, PINGS);
}

void cmd_netstat(char *args)
{
    (void)args;
    INetwork *n = net();
    NET_SOCKET s;
    if (!n)
        return;
    printf("  %-5s %-21s %-21s %-12s %s\n", "proto", "local", "remote", "state", "in/out");
    for (uint32_t i = 0; SUCCEEDED(INetwork_GetSocket(n, i, &s)); i++) {
        char local[24], remote[24];
        uint32_t l = s.LocalAddress, r = s.RemoteAddress;
        snprintf(local, sizeof local, "%u.%u.%u.%u:%u", l >> 24, l >> 16 & 255, l >> 8 & 255,
                 l & 255, s.LocalPort);
        snprintf(remote, sizeof remote, "%u.%u.%u.%u:%u", r >> 24, r >> 16 & 255, r >> 8 & 255,
                 r & 255, s.RemotePort);
        printf("  %-5s %-21s %-21s %-12s %u/%u\n", s.Type == NET_SOCK_STREAM ? "tcp" : "udp", local,
               remote, s.State, (unsigned)s.Received, (unsigned)s.Queued);
    }
}
