/* The INetwork object (idl/ISocket.idl): one for the life of the service
 * (references are not counted): sockets, the configuration DHCP gave,
 * the counters and sockets for ifconfig and netstat, ping, and files
 * from the DHCP server's TFTP server. */
#include <rialto.h>
#include <string.h>

#include "svc.h"

/* S into OUT (N bytes), cut, always terminated. */
static void copy_name(char *out, size_t n, const char *s)
{
    size_t len = strlen(s) < n - 1 ? strlen(s) : n - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

static SCODE n_query(INetwork *This, REFIID riid, void **ppv)
{
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_INetwork)) {
        *ppv = This;
        return S_OK;
    }
    *ppv = 0;
    return E_NOINTERFACE;
}

static SCODE n_addref(INetwork *This)
{
    (void)This;
    return S_OK;
}

static SCODE n_create(INetwork *This, uint32_t Family, uint32_t Type, ISocket **ppSocket)
{
    (void)This;
    *ppSocket = 0;
    if (Family != NET_AF_INET || (Type != NET_SOCK_STREAM && Type != NET_SOCK_DGRAM))
        return SOCK_E_BAD_ARG;
    *ppSocket = svc_socket_new(Type);
    return *ppSocket ? S_OK : E_OUTOFMEMORY;
}

/* "a.b.c.d", each part 0..255, nothing after (svc.h). */
bool svc_parse_ip(const char *p, uint32_t *out)
{
    uint32_t ip = 0;
    for (int part = 0; part < 4; part++) {
        uint32_t v = 0;
        int digits = 0;
        for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
            v = v * 10 + (uint32_t)(*p - '0');
        if (!digits || v > 255 || (part < 3 && *p++ != '.'))
            return false;
        ip = ip << 8 | v;
    }
    *out = ip;
    return *p == '\0';
}

static SCODE n_resolve(INetwork *This, const char *Name, NET_ADDR *pAddr)
{
    (void)This;
    uint32_t ip;
    if (!svc_parse_ip(Name, &ip))
        return SOCK_E_BAD_ARG;
    *pAddr = (NET_ADDR){.Family = NET_AF_INET, .Address = ip};
    return S_OK;
}

static SCODE n_config(INetwork *This, NET_CONFIG *pConfig)
{
    (void)This;
    svc_lock();
    const struct net_stack *s = svc_net;
    *pConfig = (NET_CONFIG){.Address = s->ip,
                            .Netmask = s->netmask,
                            .Router = s->router,
                            .Server = s->dhcp.lease.server,
                            .LeaseSeconds = s->dhcp.lease.seconds};
    memcpy(pConfig->Mac, s->mac, 6);
    svc_unlock();
    return S_OK;
}

static SCODE n_counter(INetwork *This, uint32_t Index, NET_COUNTER *pCounter)
{
    (void)This;
    const char *name = net_counter_name(Index);
    memset(pCounter, 0, sizeof *pCounter);
    if (!name && !net_counter_name(Index - 1)) /* the stack's, then the service's one */
        return SOCK_E_BAD_ARG;
    if (!name) {
        copy_name(pCounter->Name, sizeof pCounter->Name, "socket_objects");
        pCounter->Value = svc_socket_objects(); /* a leak shows here */
        return S_OK;
    }
    copy_name(pCounter->Name, sizeof pCounter->Name, name);
    svc_lock();
    pCounter->Value = net_counter(svc_net, Index);
    svc_unlock();
    return S_OK;
}

static SCODE n_socket(INetwork *This, uint32_t Index, NET_SOCKET *pSocket)
{
    (void)This;
    struct net_socket_info in;
    svc_lock();
    int r = net_socket_info(svc_net, Index, &in);
    svc_unlock();
    if (r < 0)
        return SOCK_E_BAD_ARG;
    bool tcp = in.kind == NET_KIND_TCP;
    *pSocket = (NET_SOCKET){.Type = tcp ? NET_SOCK_STREAM : NET_SOCK_DGRAM,
                            .LocalAddress = in.local_ip,
                            .RemoteAddress = in.remote_ip,
                            .LocalPort = in.local_port,
                            .RemotePort = in.remote_port,
                            .Received = in.rx_queued,
                            .Queued = in.tx_queued};
    copy_name(pSocket->State, sizeof pSocket->State, tcp ? net_tcp_state_name(in.state) : "-");
    return S_OK;
}

struct ping {
    int h;
    uint32_t rtt;
};

static int try_ping(void *arg)
{
    struct ping *p = arg;
    return net_ping_poll(svc_net, p->h, &p->rtt);
}

static SCODE n_ping(INetwork *This, uint32_t Address, uint32_t TimeoutMs, uint32_t *pRttMs)
{
    (void)This;
    static uint16_t seq;
    struct ping p = {0, 0};
    svc_lock();
    p.h = net_ping_start(svc_net, Address, 0x5254, ++seq, 56);
    svc_unlock();
    if (p.h < 0)
        return svc_error(p.h);
    int r = svc_wait(try_ping, &p, TimeoutMs ? TimeoutMs : 1000);
    svc_lock();
    net_ping_free(svc_net, p.h);
    svc_unlock();
    *pRttMs = p.rtt;
    return svc_error(r);
}

static int try_fetch(void *arg)
{
    (void)arg;
    return net_tftp_poll(svc_net);
}

static SCODE n_fetch(INetwork *This, const char *Name, uint32_t Size, BYTE *pBuffer, uint32_t *pGot)
{
    (void)This;
    static struct rt_lock one_at_a_time; /* the stack does one transfer at a time */
    *pGot = 0;
    if (Size > NET_MAX_IO)
        return SOCK_E_TOO_BIG;
    rt_lock(&one_at_a_time);
    svc_lock();
    int r = net_tftp_start(svc_net, svc_net->dhcp.lease.server, Name, pBuffer, Size);
    svc_unlock();
    if (r >= 0)
        r = svc_wait(try_fetch, 0, 0);
    rt_unlock(&one_at_a_time);
    if (r >= 0)
        *pGot = (uint32_t)r;
    return svc_error(r);
}

static const struct INetworkVtbl vtbl = {n_query,  n_addref,  n_addref, n_create, n_resolve,
                                         n_config, n_counter, n_socket, n_ping,   n_fetch};
static INetwork network = {&vtbl};

INetwork *svc_network(void)
{
    return &network;
}
