/* Server thread pools (paper 1.1): a call to an object a process exported
 * is run by a server thread of that process. The kernel starts server
 * threads on demand (at the entry the process gave SetServerPool) up to the
 * pool's bound; a thread idle for the pool's idle time ends; a call that
 * finds every thread busy waits in priority order, at most the pool's
 * queue time. A server thread runs the call at the caller's priority and
 * goes back to PRIO_NORMAL when it waits again.
 *
 * The caller waits until its call is answered, the server thread ends
 * (IPC_E_SERVER_DIED), or the caller itself is being ended
 * (IPC_E_CANCELLED: the answer, when it comes, is thrown away with every
 * reference it carried). The pool's state is guarded by the scheduler's
 * non-preemptible section (the waits are the scheduler's). */
#ifndef KERNEL_IPC_POOL_H
#define KERNEL_IPC_POOL_H

#include <IProcess.h>
#include <com/sig.h>
#include <stdbool.h>

struct process;
struct thread;
struct ipc_call;

struct ipc_pool {
    uintptr_t entry, arg; /* where server threads start; entry 0: not a server */
    uint32_t max_threads;
    uint64_t idle_ticks, queue_ticks; /* 0: forever */
    uint32_t nthreads;                /* server threads started and not ended */
    uint32_t unclaimed;               /* started, not yet in Serve */
    struct ipc_call *queue;           /* calls no thread took yet, by priority */
    struct thread *idle;              /* threads waiting in Serve */
    bool closed;                      /* the process is ending */
};

SCODE ipc_set_pool(struct process *p, uintptr_t entry, uintptr_t arg, uint32_t max_threads,
                   uint32_t idle_ms, uint32_t queue_ms);
/* Call method of the object p knows as cookie, with a kernel caller's
 * block (pointers the caller may use; interface pointers as kernel
 * references, which the call takes). */
SCODE ipc_call(struct process *p, uint32_t cookie, const struct com_iface_sig *sig, uint32_t method,
               void *block);
/* Tell p (one way) that the kernel dropped cookie, returning count tokens. */
void ipc_notify_disconnect(struct process *p, uint32_t cookie, uint32_t count);
/* IProcess::Serve on the calling thread of p (kbuf: the kernel's view of
 * the user buffer ubuf). */
SCODE ipc_serve(struct process *p, SCODE result, uint8_t *kbuf, uintptr_t ubuf, uint32_t size,
                SERVE_REQUEST *req);
/* p is ending: no more calls; queued ones fail, idle threads end. */
void ipc_pool_close(struct process *p);
/* A thread of p ends: the call it ran fails (IPC_E_SERVER_DIED). */
void ipc_thread_exit(struct process *p, struct thread *t);
/* Server threads of p now (the tests watch a pool grow and shrink). */
uint32_t ipc_pool_threads(const struct process *p);

#endif
