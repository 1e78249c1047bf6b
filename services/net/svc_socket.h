/* A socket object's state, for svc_socket.c (the object, Bind, Listen,
 * Accept, Connect) and svc_socket_io.c (data in and out). */
#ifndef SERVICES_NET_SVC_SOCKET_H
#define SERVICES_NET_SVC_SOCKET_H

#include <stdbool.h>

#include "svc.h"

struct sock {
    ISocket iface; /* first: the object is its interface */
    uint32_t refs;
    uint32_t type; /* NET_SOCK_STREAM or NET_SOCK_DGRAM */
    int h;         /* the stack's handle, -1 before Bind, Connect or Listen */
    bool listening;
    uint16_t port; /* Bind's, for Listen */
    uint32_t timeout_ms;
};

static inline struct sock *of(ISocket *p)
{
    return (struct sock *)p;
}

/* A datagram socket's handle, bound to PORT (0: any) at its first use;
 * with the lock held. */
int svc_udp_handle(struct sock *s, uint16_t port);

SCODE s_send(ISocket *This, uint32_t Size, const uint8_t *pData, uint32_t *pSent);
SCODE s_receive(ISocket *This, uint32_t Size, uint8_t *pData, uint32_t *pReceived);
SCODE s_send_to(ISocket *This, uint32_t Size, const uint8_t *pData, const NET_ADDR *pTo,
                uint32_t *pSent);
SCODE s_receive_from(ISocket *This, uint32_t Size, uint8_t *pData, NET_ADDR *pFrom,
                     uint32_t *pReceived);
SCODE s_shutdown(ISocket *This, uint32_t How);

#endif
