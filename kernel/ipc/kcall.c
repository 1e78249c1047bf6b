/* The kernel-call path (see <kernel/ipc/kcall.h>): find the object and
 * its interface by handle, the method's signature by index, copy the
 * argument block in, check and rebias its pointers, run the server stub
 * on this thread, and raise what the call left pending on the way out. */
#include <kernel/arch.h>
#include <kernel/ipc/args.h>
#include <kernel/ipc/iface.h>
#include <kernel/ipc/kcall.h>
#include <kernel/ipc/pool.h>
#include <kernel/ipc/remote.h>
#include <kernel/ipc/transfer.h>
#include <kernel/proc/process.h>
#include <kernel/proc/uexception.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>

#define KCALL_MAX_BLOCK  256  /* the largest argument block: 64 words */
#define KCALL_MAX_STRING 4096 /* the longest string argument */
#define M_ADDREF         1    /* IUnknown's methods every interface starts with */
#define M_RELEASE        2

SCODE (*kcall_test_hook)(uint32_t handle, uint32_t method, uintptr_t block);

static const struct user_view user_range = {USER_BASE, USER_END, USER_KERNEL_BIAS,
                                            KCALL_MAX_STRING};

/* AddRef and Release through a handle count the process's references to
 * the handle; the object's own count is the kernel's business. */
static SCODE handle_ref(struct process *p, uint32_t handle, uint32_t method)
{
    SCODE sc;
    if (method == M_ADDREF)
        handle_addref(&p->handles, handle, &sc);
    else
        handle_release(&p->handles, handle, &sc);
    return sc;
}

/* The call itself, on a block made safe: a kernel object's server stub,
 * or for a remote object a call into its process (remote.h). */
static SCODE call(const struct kiface *k, IUnknown *obj, uint32_t method, void *block)
{
    struct remote *r = remote_of(obj);
    return r ? remote_invoke(r, method, block) : k->dispatch(obj, method, block);
}

static bool has_ifaces(const struct com_method_sig *m)
{
    for (unsigned i = 0; i < m->nargs; i++)
        if (m->args[i].kind >= COM_ARG_IFACE_IN)
            return true;
    return false;
}

static SCODE dispatch(struct process *p, const struct kiface *k, IUnknown *obj, uint32_t method,
                      uintptr_t ublock)
{
    const struct com_method_sig *m = method < k->sig->nmethods ? k->sig->methods[method] : 0;
    if (!m)
        return RPC_E_BADMETHOD;
    if (m->block_size > KCALL_MAX_BLOCK)
        return E_NOTIMPL;
    if (ublock < USER_BASE || ublock > USER_END - m->block_size || (ublock & 3))
        return E_POINTER;
    uint32_t block[KCALL_MAX_BLOCK / 4] __attribute__((aligned(8)));
    const uint32_t *from = (const uint32_t *)(ublock + USER_KERNEL_BIAS);
    for (unsigned i = 0; i < (m->block_size + 3u) / 4; i++) /* a few words: no memcpy call */
        block[i] = from[i];
    struct kcall_shadows sh;
    struct kcall_ifaces x;
    SCODE sc = kcall_translate(m, block, &user_range, &sh);
    if (FAILED(sc)) {
        kcall_ifaces_drop(p, m, block);
        return sc;
    }
    if (!has_ifaces(m)) { /* most kernel methods: nothing to translate */
        sc = call(k, obj, method, block);
        kcall_write_back(&sh);
        return sc;
    }
    sc = kcall_ifaces_in(p, m, block, &x);
    if (FAILED(sc))
        return sc;
    sc = kcall_ifaces_out(p, m, block, &x, call(k, obj, method, block));
    kcall_write_back(&sh);
    return sc;
}
static SCODE kcall(struct process *p, uint32_t handle, uint32_t method, uintptr_t ublock)
{
    IUnknown *obj;
    const void *type;
    if (FAILED(handle_lookup(&p->handles, handle, &obj, &type)))
        return E_HANDLE;
    SCODE sc = method == M_ADDREF || method == M_RELEASE ? handle_ref(p, handle, method)
                                                         : dispatch(p, type, obj, method, ublock);
    obj->lpVtbl->Release(obj);
    return sc;
}

static bool in_user(uintptr_t p, uint64_t n, uintptr_t align)
{
    return p >= USER_BASE && p <= USER_END && n <= USER_END - p && (p & (align - 1)) == 0;
}

/* Handle 0 names no object. With IProcess::Serve's method index it is the
 * serve trap: IProcess::Serve on the caller's own process, without the
 * generic path (no lookup, no signature walk), as a server thread crosses
 * it twice in every call into its process. The checks are Serve's
 * signature's, written out. */
static SCODE serve_trap(struct process *p, uint32_t method, uintptr_t ublock)
{
    struct IProcess_Serve_args a;
    if (method != IProcess_M_Serve)
        return E_HANDLE;
    if (!in_user(ublock, sizeof a, 4))
        return E_POINTER;
    memcpy(&a, (const void *)(ublock + USER_KERNEL_BIAS), sizeof a);
    uintptr_t buf = (uintptr_t)a.Buffer, req = (uintptr_t)a.pRequest;
    if (!in_user(buf, a.Size, 1) || !in_user(req, sizeof(SERVE_REQUEST), 4))
        return E_POINTER;
    return ipc_serve(p, a.Result, (uint8_t *)(buf + USER_KERNEL_BIAS), buf, a.Size,
                     (SERVE_REQUEST *)(req + USER_KERNEL_BIAS));
}

void kcall_enter(struct trap_frame *tf)
{
    uint32_t handle = arch_kcall_handle(tf), method = arch_kcall_method(tf);
    uintptr_t block = arch_kcall_block(tf);
    struct process *p = process_current();
    SCODE sc = kcall_test_hook ? kcall_test_hook(handle, method, block)
               : !p            ? E_UNEXPECTED
               : handle        ? kcall(p, handle, method, block)
                               : serve_trap(p, method, block);
    arch_kcall_set_result(tf, sc);
    struct thread *self = thread_current();
    if (self->continue_pending) /* ContinueAfterException */
        uexception_continue(tf);
    uexception_raise_pending(tf);
    if (self->kill_fn) { /* terminated meanwhile, maybe by itself */
        void (*fn)(void *) = self->kill_fn;
        self->kill_fn = 0;
        fn(0);
    }
}
