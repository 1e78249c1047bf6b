/* Objects this process exports (paper 1.1): a local interface pointer
 * passed to another space travels as a cookie, IPC_COOKIE_BIT | index of
 * an entry here, which holds one reference to the object and counts the
 * cookies (tokens) the kernel holds. The kernel gives tokens back with a
 * cookie coming home (IPC_COOKIE_TOKEN) or in an IPC_M_DISCONNECT notice;
 * the entry and its reference go with the last token. The first export
 * makes the process a server (serve.c). */
#ifndef LIB_EXPORT_H
#define LIB_EXPORT_H

#include <IProcess.h>

#define RT_MAX_EXPORTS 256

/* A cookie for itf as iid (a token for the kernel). E_NOINTERFACE when
 * the runtime has no stub for iid, E_OUTOFMEMORY when the table is full. */
SCODE rt_export(void *itf, const IID *iid, com_handle_t *cookie);
/* The local object a cookie names, as iid, with a reference. */
SCODE rt_export_unmarshal(com_handle_t cookie, const IID *iid, void **out);
/* A cookie that never reached the kernel, or came back unused: its token
 * is back. */
void rt_export_drop(com_handle_t cookie);
/* A server thread's call: method of the object cookie names. */
SCODE rt_export_call(uint32_t cookie, uint32_t method, void *block);
/* Live entries (the tests' leak check). */
unsigned rt_export_count(void);
/* Start serving (once): SetServerPool with the runtime's settings. */
SCODE rt_serve_start(void);

#endif
