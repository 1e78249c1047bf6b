/* The network service (services/net): the stack of net_*.c over the
 * PCnet driver's "net0" (idl/INetDevice.idl), configured by DHCP from
 * QEMU's user network, registered as "net". A receive thread takes each
 * frame from the device into the stack and runs its timers, then sets an
 * event (IEvent) that waiting calls block on before they try again
 * (svc_wait). The same binary runs in the kernel or
 * in a process (component); with no net0 it says so and returns 0. */
#include <INetDevice.h>
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc.h"

struct net_stack *svc_net;
static struct rt_lock stack_lock;
static INetDevice *device;
static IEvent *changed; /* Set by the receive thread after each frame and tick */

#define RECEIVE_WAIT_MS 50 /* the receive thread's timeout: the timers' pace */
#define DHCP_WAIT_MS    30000

void svc_lock(void)
{
    rt_lock(&stack_lock);
}

void svc_unlock(void)
{
    rt_unlock(&stack_lock);
}

int svc_wait(int (*try)(void *arg), void *arg, uint32_t timeout_ms)
{
    uint64_t end = timeout_ms ? TimeMs() + timeout_ms : 0;
    for (;;) {
        svc_lock();
        int r = try(arg);
        svc_unlock();
        if (r != NET_E_AGAIN)
            return r;
        uint64_t now = TimeMs();
        if (end && now >= end)
            return NET_E_TIMEDOUT;
        IEvent_Wait(changed, end ? (uint32_t)(end - now) : 0);
    }
}

SCODE svc_error(int r)
{
    static const SCODE codes[] = {
        [-NET_E_AGAIN] = SOCK_E_TIMEOUT,       [-NET_E_INVAL] = SOCK_E_BAD_ARG,
        [-NET_E_NOMEM] = SOCK_E_NO_SOCKETS,    [-NET_E_INUSE] = SOCK_E_IN_USE,
        [-NET_E_UNREACH] = SOCK_E_UNREACHABLE, [-NET_E_TIMEDOUT] = SOCK_E_TIMEOUT,
        [-NET_E_RESET] = SOCK_E_RESET,         [-NET_E_CLOSED] = SOCK_E_CLOSED,
        [-NET_E_MSGSIZE] = SOCK_E_TOO_BIG,     [-NET_E_REFUSED] = SOCK_E_REFUSED,
    };
    if (r >= 0)
        return S_OK;
    return -r < (int)(sizeof codes / sizeof codes[0]) && codes[-r] ? codes[-r] : E_FAIL;
}

static void send_frame(void *ctx, const void *frame, uint32_t len)
{
    (void)ctx;
    INetDevice_Send(device, len, frame); /* a lost frame is the protocols' to retry */
}

static uint64_t now_ms(void *ctx)
{
    (void)ctx;
    return TimeMs();
}

/* Frames in, timers run: the stack's only driver besides the calls. */
static int receive_thread(void *arg)
{
    static BYTE frame[NET_ETH_MAX];
    (void)arg;
    for (;;) {
        uint32_t got = 0;
        SCODE sc = INetDevice_Receive(device, sizeof frame, frame, RECEIVE_WAIT_MS, &got);
        svc_lock();
        if (SUCCEEDED(sc) && got)
            net_input(svc_net, frame, got);
        net_tick(svc_net, TimeMs());
        svc_unlock();
        IEvent_Set(changed); /* a waiting call tries again */
    }
    return 0;
}

static int dhcp_done(void *lease)
{
    return net_dhcp_poll(svc_net, lease);
}

/* DHCP's lease, or the static address of net.arg=ip=A.B.C.D (a /24,
 * no router: two guests on one wire, where no DHCP server is). */
static int configure(const char *arg, struct net_lease *lease)
{
    uint32_t ip;
    if (arg && !strncmp(arg, "ip=", 3)) {
        if (!svc_parse_ip(arg + 3, &ip))
            return NET_E_INVAL;
        *lease = (struct net_lease){.ip = ip, .netmask = 0xFFFFFF00};
        svc_lock();
        net_configure(svc_net, ip, lease->netmask, 0);
        svc_unlock();
        return NET_OK;
    }
    svc_lock();
    int r = net_dhcp_start(svc_net);
    svc_unlock();
    return r < 0 ? r : svc_wait(dhcp_done, lease, DHCP_WAIT_MS);
}

static SCODE start(const char *arg)
{
    NET_DEVICE_INFO info;
    struct net_lease lease;
    static const struct net_ops ops = {0, send_frame, now_ms, 0};
    SCODE sc = INetDevice_GetInfo(device, &info);
    if (FAILED(sc))
        return sc;
    svc_net = malloc(sizeof *svc_net); /* not in the image: a machine without a card pays nothing */
    if (!svc_net)
        return E_OUTOFMEMORY;
    sc = IProcess_CreateEvent(CurrentProcess(), &changed);
    if (FAILED(sc))
        return sc;
    net_init(svc_net, info.Mac, &ops, (uint32_t)TimeMs() ^ info.Mac[5] << 8);
    if (!CreateThread(receive_thread, 0))
        return E_OUTOFMEMORY;
    if (configure(arg, &lease) < 0)
        return SOCK_E_NOT_CONFIGURED;
    if (!lease.server) {
        printf("net: %u.%u.%u.%u, static\n", lease.ip >> 24, lease.ip >> 16 & 255,
               lease.ip >> 8 & 255, lease.ip & 255);
        return S_OK;
    }
    printf("net: %u.%u.%u.%u by DHCP from %u.%u.%u.%u\n", lease.ip >> 24, lease.ip >> 16 & 255,
           lease.ip >> 8 & 255, lease.ip & 255, lease.server >> 24, lease.server >> 16 & 255,
           lease.server >> 8 & 255, lease.server & 255);
    return S_OK;
}

int main(int argc, char **argv)
{
    SCODE sc = INameService_Lookup(NameService(), "net0", &IID_INetDevice, (void **)&device);
    if (sc == NAME_E_NOT_FOUND) {
        printf("net: no net0, no network\n");
        return 0;
    }
    if (SUCCEEDED(sc))
        sc = start(argc > 1 ? argv[1] : 0);
    if (SUCCEEDED(sc))
        sc = INameService_Register(NameService(), "net", (IUnknown *)svc_network());
    if (FAILED(sc)) {
        printf("net: cannot serve net0 (%#x)\n", (unsigned)sc);
        return 1;
    }
    RunService();
}
