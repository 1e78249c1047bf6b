/* Data through sockets: Send waits for room until all is queued; Receive
 * waits for data (0 bytes: the peer's end); datagrams go out at once and
 * come in whole (cut to the buffer). Each call moves at most NET_MAX_IO. */
#include <rialto.h>

#include "svc_socket.h"

struct io {
    struct sock *s;
    uint8_t *buf;
    uint32_t len;
    uint32_t ip;
    uint16_t port;
};

static int try_send(void *arg)
{
    struct io *io = arg;
    return net_tcp_send(svc_net, io->s->h, io->buf, io->len);
}

SCODE s_send(ISocket *This, uint32_t Size, const uint8_t *pData, uint32_t *pSent)
{
    struct sock *s = of(This);
    *pSent = 0;
    if (s->type != NET_SOCK_STREAM || s->h < 0 || s->listening)
        return SOCK_E_WRONG_STATE;
    if (Size > NET_MAX_IO)
        return SOCK_E_TOO_BIG;
    while (*pSent < Size) {
        struct io io = {s, (uint8_t *)pData + *pSent, Size - *pSent, 0, 0};
        int r = svc_wait(try_send, &io, 0);
        if (r < 0)
            return svc_error(r);
        *pSent += (uint32_t)r;
    }
    return S_OK;
}

static int try_receive(void *arg)
{
    struct io *io = arg;
    return net_tcp_recv(svc_net, io->s->h, io->buf, io->len);
}

SCODE s_receive(ISocket *This, uint32_t Size, uint8_t *pData, uint32_t *pReceived)
{
    struct sock *s = of(This);
    *pReceived = 0;
    if (s->type != NET_SOCK_STREAM || s->h < 0 || s->listening)
        return SOCK_E_WRONG_STATE;
    if (Size > NET_MAX_IO)
        return SOCK_E_TOO_BIG;
    struct io io = {s, pData, Size, 0, 0};
    int r = svc_wait(try_receive, &io, s->timeout_ms);
    if (r >= 0)
        *pReceived = (uint32_t)r;
    return svc_error(r);
}

SCODE s_send_to(ISocket *This, uint32_t Size, const uint8_t *pData, const NET_ADDR *pTo,
                uint32_t *pSent)
{
    struct sock *s = of(This);
    *pSent = 0;
    if (s->type != NET_SOCK_DGRAM)
        return SOCK_E_WRONG_STATE;
    if (!pTo || pTo->Family != NET_AF_INET)
        return SOCK_E_BAD_ARG;
    if (Size > NET_UDP_MAX)
        return SOCK_E_TOO_BIG;
    svc_lock();
    int r = svc_udp_handle(s, 0);
    if (r >= 0)
        r = net_udp_sendto(svc_net, s->h, pTo->Address, pTo->Port, pData, Size);
    svc_unlock();
    if (r >= 0)
        *pSent = Size;
    return svc_error(r);
}

static int try_receive_from(void *arg)
{
    struct io *io = arg;
    return net_udp_recvfrom(svc_net, io->s->h, io->buf, io->len, &io->ip, &io->port);
}

SCODE s_receive_from(ISocket *This, uint32_t Size, uint8_t *pData, NET_ADDR *pFrom,
                     uint32_t *pReceived)
{
    struct sock *s = of(This);
    *pReceived = 0;
    if (s->type != NET_SOCK_DGRAM || s->h < 0)
        return SOCK_E_WRONG_STATE;
    if (Size > NET_MAX_IO)
        return SOCK_E_TOO_BIG;
    struct io io = {s, pData, Size, 0, 0};
    int r = svc_wait(try_receive_from, &io, s->timeout_ms);
    if (r < 0)
        return svc_error(r);
    *pReceived = (uint32_t)r < Size ? (uint32_t)r : Size;
    *pFrom = (NET_ADDR){.Family = NET_AF_INET, .Address = io.ip, .Port = io.port};
    return S_OK;
}

SCODE s_shutdown(ISocket *This, uint32_t How)
{
    struct sock *s = of(This);
    (void)How;
    if (s->type != NET_SOCK_STREAM || s->h < 0 || s->listening)
        return SOCK_E_WRONG_STATE;
    svc_lock();
    int r = net_tcp_shutdown(svc_net, s->h);
    svc_unlock();
    return svc_error(r);
}
