/* ISocket objects (idl/ISocket.idl): a UDP socket or a TCP endpoint over
 * the stack's handles, malloc'd with counted references; the last
 * Release closes the handle. Blocking calls wait with svc_wait, at most
 * the socket's timeout. */
#include <rialto.h>
#include <stdlib.h>

#include "svc_socket.h"

static SCODE s_query(ISocket *This, REFIID riid, void **ppv)
{
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_ISocket)) {
        ISocket_AddRef(This);
        *ppv = This;
        return S_OK;
    }
    *ppv = 0;
    return E_NOINTERFACE;
}

static SCODE s_addref(ISocket *This)
{
    __atomic_add_fetch(&of(This)->refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static uint32_t objects; /* ISocket objects alive: ifconfig's socket_objects */

static void sock_free(struct sock *s)
{
    __atomic_sub_fetch(&objects, 1, __ATOMIC_RELAXED);
    free(s);
}

uint32_t svc_socket_objects(void)
{
    return __atomic_load_n(&objects, __ATOMIC_RELAXED);
}

static SCODE s_release(ISocket *This)
{
    struct sock *s = of(This);
    if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL))
        return S_OK;
    svc_lock();
    if (s->h >= 0 && s->type == NET_SOCK_DGRAM)
        net_udp_close(svc_net, s->h);
    else if (s->h >= 0)
        net_tcp_close(svc_net, s->h);
    svc_unlock();
    sock_free(s);
    return S_OK;
}

static bool addr_ok(const NET_ADDR *a)
{
    return a && a->Family == NET_AF_INET;
}

int svc_udp_handle(struct sock *s, uint16_t port)
{
    if (s->h < 0)
        s->h = net_udp_open(svc_net, port);
    return s->h;
}

static SCODE s_bind(ISocket *This, const NET_ADDR *pAddr)
{
    struct sock *s = of(This);
    if (!addr_ok(pAddr) || s->h >= 0)
        return !addr_ok(pAddr) ? SOCK_E_BAD_ARG : SOCK_E_WRONG_STATE;
    if (s->type == NET_SOCK_STREAM) {
        s->port = pAddr->Port;
        return S_OK;
    }
    svc_lock();
    int r = svc_udp_handle(s, pAddr->Port);
    svc_unlock();
    return svc_error(r);
}

static SCODE s_listen(ISocket *This, uint32_t Backlog)
{
    struct sock *s = of(This);
    if (s->type != NET_SOCK_STREAM || s->h >= 0 || !s->port)
        return SOCK_E_WRONG_STATE;
    svc_lock();
    int r = net_tcp_listen(svc_net, s->port, Backlog ? Backlog : 1);
    svc_unlock();
    if (r >= 0) {
        s->h = r;
        s->listening = true;
    }
    return svc_error(r);
}

static void peer_of(int h, NET_ADDR *out)
{
    struct net_socket_info info;
    *out = (NET_ADDR){.Family = NET_AF_INET};
    for (unsigned i = 0; net_socket_info(svc_net, i, &info) == NET_OK; i++)
        if (info.kind == NET_KIND_TCP && info.handle == h) {
            out->Address = info.remote_ip;
            out->Port = info.remote_port;
        }
}

static int try_accept(void *s)
{
    return net_tcp_accept(svc_net, ((struct sock *)s)->h);
}

static SCODE s_accept(ISocket *This, ISocket **ppSocket, NET_ADDR *pPeer)
{
    struct sock *s = of(This);
    *ppSocket = 0;
    if (!s->listening)
        return SOCK_E_WRONG_STATE;
    int h = svc_wait(try_accept, s, s->timeout_ms);
    if (h < 0)
        return svc_error(h);
    svc_lock();
    peer_of(h, pPeer);
    svc_unlock();
    *ppSocket = svc_socket_accepted(h);
    if (*ppSocket)
        return S_OK;
    svc_lock();
    net_tcp_abort(svc_net, h);
    svc_unlock();
    return E_OUTOFMEMORY;
}

static int try_connected(void *s)
{
    int h = ((struct sock *)s)->h, state = net_tcp_state(svc_net, h);
    int err = net_tcp_error(svc_net, h);
    if (err < 0)
        return err;
    return state == NET_TCP_SYN_SENT ? NET_E_AGAIN : NET_OK;
}

static SCODE s_connect(ISocket *This, const NET_ADDR *pAddr)
{
    struct sock *s = of(This);
    if (!addr_ok(pAddr))
        return SOCK_E_BAD_ARG;
    if (s->type != NET_SOCK_STREAM || s->h >= 0)
        return SOCK_E_WRONG_STATE;
    svc_lock();
    int r = net_tcp_connect(svc_net, pAddr->Address, pAddr->Port);
    svc_unlock();
    if (r < 0)
        return svc_error(r);
    s->h = r;
    return svc_error(svc_wait(try_connected, s, s->timeout_ms));
}

static SCODE s_set_timeout(ISocket *This, uint32_t Ms)
{
    of(This)->timeout_ms = Ms;
    return S_OK;
}

static const struct ISocketVtbl vtbl = {
    s_query, s_addref,  s_release, s_bind,         s_listen,   s_accept,     s_connect,
    s_send,  s_receive, s_send_to, s_receive_from, s_shutdown, s_set_timeout};

static ISocket *make(uint32_t type, int h)
{
    struct sock *s = malloc(sizeof *s);
    if (!s)
        return 0;
    *s = (struct sock){.iface = {&vtbl}, .refs = 1, .type = type, .h = h};
    __atomic_add_fetch(&objects, 1, __ATOMIC_RELAXED);
    return &s->iface;
}

ISocket *svc_socket_new(uint32_t type)
{
    return make(type, -1);
}

ISocket *svc_socket_accepted(int h)
{
    return make(NET_SOCK_STREAM, h);
}
