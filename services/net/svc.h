/* The network service's parts for each other (services/net/svc*.c): the
 * one stack, the lock every call holds around it, waiting, and errors. */
#ifndef SERVICES_NET_SVC_H
#define SERVICES_NET_SVC_H

#include <ISocket.h>
#include <stdbool.h>

#include "net.h"

extern struct net_stack *svc_net; /* malloc'd once net0 is there */

/* Every use of svc_net holds the lock: the receive thread's frames and
 * ticks, and the calls (on their callers' threads in the kernel, the
 * pool's in a process). */
void svc_lock(void);
void svc_unlock(void);

/* Calls TRY(ARG) under the lock until it answers something other than
 * NET_E_AGAIN, waiting between tries for the receive thread's next frame
 * or tick (an event), at most TIMEOUT_MS (0: forever; NET_E_TIMEDOUT
 * then). */
int svc_wait(int (*try)(void *arg), void *arg, uint32_t timeout_ms);

/* The stack's NET_E_* as the interface's SOCK_E_* (S_OK for >= 0). */
SCODE svc_error(int r);

/* svc_socket.c: a new socket object of TYPE (NULL: no memory), and one
 * for a TCP connection accepted on handle H. */
ISocket *svc_socket_new(uint32_t type);
ISocket *svc_socket_accepted(int h);
/* The socket objects alive (ifconfig's last counter, socket_objects). */
uint32_t svc_socket_objects(void);

/* svc_network.c: the one INetwork object; a dotted quad's address. */
INetwork *svc_network(void);
bool svc_parse_ip(const char *text, uint32_t *ip);

#endif
