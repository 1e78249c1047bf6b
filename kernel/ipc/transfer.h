/* Interface pointers crossing between a process and the kernel. Inside
 * the kernel an interface pointer is the object's kernel pointer, and in
 * an argument block the kernel builds, a com_handle_t is that pointer
 * (kernel/ipc/marshal.c). A process names objects by the handles of its
 * table and its own exported objects by cookies (remote.h). Every
 * conversion moves one reference: the process's handle reference (or
 * cookie token) becomes a kernel reference, and back. */
#ifndef KERNEL_IPC_TRANSFER_H
#define KERNEL_IPC_TRANSFER_H

#include <IUnknown.h>

struct process;

/* The object p passed as h (a handle of its table or a cookie), as
 * interface iid; takes p's reference. NULL for 0. E_HANDLE, E_NOINTERFACE,
 * IPC_E_BAD_COOKIE, E_OUTOFMEMORY; on failure p's reference is gone all
 * the same (a handle passed to a transport belongs to it). */
SCODE ipc_import(struct process *p, com_handle_t h, const IID *iid, IUnknown **out);
/* What p will know obj (interface iid) by: its cookie when obj is one of
 * p's exported objects, else a new handle of p's table. Takes the caller's
 * reference to obj, also on failure. 0 for NULL. */
SCODE ipc_export(struct process *p, IUnknown *obj, const IID *iid, com_handle_t *out);
/* obj as interface iid, with a reference; a remote answers for its own
 * interface and IUnknown without a call into its process. */
SCODE ipc_query(IUnknown *obj, const IID *iid, IUnknown **out);

/* A kernel call's interface arguments (kernel/ipc/kcall.c): the caller's
 * handles become kernel references in its block, and what the call
 * returns becomes handles in the caller's memory. */
#define KCALL_MAX_IFACE_ARGS 16

struct kcall_ifaces {
    void *mem[KCALL_MAX_IFACE_ARGS];          /* the kernel's copy of an array */
    com_handle_t *user[KCALL_MAX_IFACE_ARGS]; /* where [out] handles go */
    com_handle_t slot[KCALL_MAX_IFACE_ARGS];  /* an [out] reference */
    uint32_t n[KCALL_MAX_IFACE_ARGS];         /* elements of an array */
    IID iid[KCALL_MAX_IFACE_ARGS];            /* the iid_is values, snapshotted */
};

/* Before the call: p's handles and cookies in block into kernel references
 * (the block's data pointers already checked and rebiased). On failure
 * nothing is left held. */
SCODE kcall_ifaces_in(struct process *p, const struct com_method_sig *m, void *block,
                      struct kcall_ifaces *x);
/* The call could not be made: p's [in] handles go all the same. */
void kcall_ifaces_drop(struct process *p, const struct com_method_sig *m, const void *block);
/* After the call (result sc): the [out] references into handles of p,
 * written where the caller asked; returns sc or an export's failure. */
SCODE kcall_ifaces_out(struct process *p, const struct com_method_sig *m, void *block,
                       struct kcall_ifaces *x, SCODE sc);

#endif
