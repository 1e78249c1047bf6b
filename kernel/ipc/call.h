/* One call into a process (paper 1.1), as data: the caller's argument
 * block and everything its pointers reach, laid out as one image that a
 * server thread receives in its Serve buffer and answers in place.
 *
 * The image is the block (pointers rewritten to the buffer), then each
 * pointer argument's data, 8-byte aligned. [in] and [in, out] data are
 * copied in, [out] data starts zeroed, and on return exactly the out
 * regions come back (the server may scribble over its block: the kernel
 * never reads a pointer or count back from it). length_is is evaluated
 * after the call against the returned data, within the size_is the caller
 * was checked against. Interface pointers travel as kernel references in
 * the image and are translated for the server as it receives the call and
 * back as it answers (transfer.h).
 *
 * Who runs what: call_build and call_finish on the calling thread (in its
 * space: its pointers are kernel pointers there), call_deliver and
 * call_collect on the server thread (in the server's space). */
#ifndef KERNEL_IPC_CALL_H
#define KERNEL_IPC_CALL_H

#include <IProcess.h>
#include <com/sig.h>
#include <stdbool.h>

#define IPC_MAX_ARGS    16
#define IPC_MAX_BLOCK   256 /* the largest argument block, as for kernel calls */
#define IPC_SPARE_BYTES 512 /* a user thread's spare call record */

struct thread;
struct process;

struct ipc_place {
    uint32_t offset, bytes;
    bool present; /* a non-NULL pointer */
};

enum call_state { CALL_QUEUED, CALL_RUNNING, CALL_DONE };

struct ipc_call {
    const struct com_method_sig *m; /* NULL: a one-way notice (IPC_M_DISCONNECT) */
    uint32_t cookie, method;
    void *kblock; /* the caller's block */
    int prio;
    enum call_state state;
    bool abandoned; /* the caller is gone: whoever finishes frees it */
    bool in_owned;  /* the image holds the [in] interface references */
    bool out_owned; /* ... the [out] ones */
    SCODE result;
    struct thread *caller;   /* waiting for it */
    struct ipc_call *next;   /* the pool's queue */
    uint32_t size;           /* of the image */
    uint32_t pages;          /* a run of pages holds it (else the heap) */
    struct thread *spare_of; /* the user thread whose spare record it is */
    struct ipc_place place[IPC_MAX_ARGS];
    uint8_t image[] __attribute__((aligned(8)));
};

/* A call of method m (index method) on cookie with the caller's block.
 * The block's [in] interface references belong to the call from here on,
 * also when this fails. E_NOTIMPL (embedded pointers, too many
 * arguments), IPC_E_TOO_BIG, E_POINTER, RPC_E_INVALID_BOUND, E_OUTOFMEMORY. */
SCODE call_build(const struct com_method_sig *m, uint32_t cookie, uint32_t method, void *kblock,
                 struct ipc_call **out);
/* A one-way notice: method with one 32-bit argument. */
struct ipc_call *call_notice(uint32_t cookie, uint32_t method, uint32_t value);
/* Hand c to the server thread of p: the image into its buffer (kbuf, the
 * kernel's view of user address ubuf, size bytes), its interface
 * pointers into p's terms, and what to run into *req. */
SCODE call_deliver(struct ipc_call *c, struct process *p, uint8_t *kbuf, uintptr_t ubuf,
                   uint32_t size, SERVE_REQUEST *req);
/* The server's answer: result and the out regions of its buffer. */
void call_collect(struct ipc_call *c, struct process *p, SCODE result, const uint8_t *kbuf);
/* Back on the caller: out data and interface pointers to its block; the
 * call's result. Frees c. */
SCODE call_finish(struct ipc_call *c);
/* Drop c and every reference it still holds. */
void call_free(struct ipc_call *c);
/* A user thread ends: its spare call record goes. */
void call_drop_spare(struct thread *t);

#endif
