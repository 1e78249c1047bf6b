/* Processes (see <kernel/proc/process.h>): the object, creation from an
 * executable image, the end of a process. */
#include <IConsole.h>
#include <config.h>
#include <kernel/arch.h>
#include <kernel/loader/loader.h>
#include <kernel/vm/access.h>
#include <kernel/panic.h>
#include <kernel/ipc/iface.h>
#include <kernel/ipc/names.h>
#include <kernel/ipc/pool.h>
#include <kernel/proc/console_object.h>
#include <kernel/proc/process.h>
#include <kernel/proc/thread_object.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/sync/event_object.h>
#include <kernel/timer.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/object.h>
#include <kernel/vm/vtlb.h>
#include <stddef.h>

#define container_of(p, type, field) ((type *)(void *)((char *)(p)-offsetof(type, field)))

#define START_HANDLES 5 /* give_handles' */

static struct process *all;
static uint32_t next_id = 1;
static const struct IProcessVtbl process_vtbl;

static struct process *of(IProcess *p)
{
    return container_of(p, struct process, iproc);
}

struct process *process_current(void)
{
    struct thread *t = thread_current();
    return t ? t->process : 0;
}

struct process *process_list(void)
{
    return all;
}

struct process *process_find(uint32_t id)
{
    struct process *found = 0;
    unsigned long irq = np_begin(NP_SCHED);
    for (struct process *p = all; p && !found; p = p->next_all)
        if (p->id == id && p->refs) {
            __atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
            found = p;
        }
    np_end(NP_SCHED, irq);
    return found;
}

static void unlink_process(struct process *p)
{
    for (struct process **pp = &all; *pp; pp = &(*pp)->next_all)
        if (*pp == p) {
            *pp = p->next_all;
            return;
        }
}

/* The last reference: the space's tree goes (its pages went when the
 * process finished), then the object. */
static void destroy(struct process *p)
{
    unlink_process(p);
    as_object_set_outer(p->space, 0); /* whoever still holds the space */
    IAddressSpace_Release(p->space);
    heap_free(&kernel_heap, p);
}

void process_release(struct process *p)
{
    if (__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) == 0)
        destroy(p);
}

/* The space object's last reference went: its tree can go too. */
static void space_released(struct as *as, void *arg)
{
    (void)arg;
    as_destroy(as);
}

/* The start block, argv and its strings at the top of the stack; the
 * block's address is what the first thread gets. */
static SCODE write_start(struct process *p, uintptr_t top, int argc, const char *const *argv,
                         const uint32_t handles[START_HANDLES], uintptr_t *block)
{
    uintptr_t ptrs[PROC_MAX_ARGS + 1], at = top;
    for (int i = argc - 1; i >= 0; i--) {
        size_t n = strlen(argv[i]) + 1;
        at -= n;
        SCODE sc = as_write_through(&p->as, at, argv[i], n);
        if (FAILED(sc))
            return sc;
        ptrs[i] = at;
    }
    ptrs[argc] = 0;
    at = (at - sizeof(ptrs[0]) * (argc + 1)) & ~(uintptr_t)15;
    SCODE sc = as_write_through(&p->as, at, ptrs, sizeof(ptrs[0]) * (argc + 1));
    PROCESS_START_INFO info = {.Size = sizeof info,
                               .Process = handles[0],
                               .AddressSpace = handles[1],
                               .Console = handles[2],
                               .Argc = (uint32_t)argc,
                               .Argv = at,
                               .Extra = handles[4],
                               .NameService = handles[3]};
    at = (at - sizeof info) & ~(uintptr_t)15;
    if (SUCCEEDED(sc))
        sc = as_write_through(&p->as, at, &info, sizeof info);
    *block = at;
    return sc;
}

/* The handles every process starts with: itself, its space, the console,
 * the name service, and what its creator passes on (h[4], 0 for none). */
static SCODE give_handles(struct process *p, IUnknown *extra, const IID *iid,
                          uint32_t h[START_HANDLES])
{
    IUnknown *objs[START_HANDLES] = {(IUnknown *)&p->iproc, (IUnknown *)p->space, console_object(),
                                     name_service_object(), extra};
    const IID *iids[START_HANDLES] = {&IID_IProcess, &IID_IAddressSpace, &IID_IConsole,
                                      &IID_INameService, iid};
    h[START_HANDLES - 1] = 0;
    for (int i = 0; i < (extra ? START_HANDLES : START_HANDLES - 1); i++) {
        objs[i]->lpVtbl->AddRef(objs[i]);
        SCODE sc = handle_insert(&p->handles, objs[i], kiface_find(iids[i]), &h[i]);
        if (FAILED(sc)) {
            objs[i]->lpVtbl->Release(objs[i]);
            return sc;
        }
    }
    return S_OK;
}

static SCODE load(struct process *p, const void *image, size_t size, int argc,
                  const char *const *argv, IUnknown *extra, const IID *iid)
{
    uintptr_t entry = 0;
    SCODE sc = loader_load(&p->as, p->name, image, size, &p->images, &entry);
    uint32_t handles[START_HANDLES];
    uintptr_t base = 0, block = 0;
    size_t stack = 0;
    if (SUCCEEDED(sc))
        sc = user_stack_alloc(p, PROC_STACK_SIZE, &base, &stack);
    if (SUCCEEDED(sc))
        sc = give_handles(p, extra, iid, handles);
    if (SUCCEEDED(sc))
        sc = write_start(p, base + PAGE_SIZE + stack, argc, argv, handles, &block);
    if (FAILED(sc))
        return sc;
    return thread_object_start(p, entry, block, block, base, stack, 0);
}

static struct process *alloc_process(const char *name)
{
    struct process *p = heap_alloc(&kernel_heap, sizeof *p);
    if (!p)
        return 0;
    *p = (struct process){.iproc = {&process_vtbl}, .refs = 2}; /* the caller's and its own */
    kstrlcpy(p->name, name, sizeof p->name);
    as_init(&p->as, p->name, USER_BASE, USER_END, &kernel_heap);
    p->as.keep_free = VM_KERNEL_RESERVE; /* the kernel's stacks and objects need pages too */
    p->space = as_object_create(&p->as, space_released, p);
    if (!p->space || FAILED(handle_table_init(&p->handles, &kernel_heap, PROC_HANDLES))) {
        if (p->space)
            IAddressSpace_Release(p->space);
        else
            as_destroy(&p->as);
        heap_free(&kernel_heap, p);
        return 0;
    }
    event_init(&p->finished, "process finished");
    as_object_set_outer(p->space, (IUnknown *)&p->iproc);
    p->id = next_id++;
    return p;
}

/* Free what a process holds while it runs: its names, handles, then every
 * page and node of its space (the tree itself goes with the last reference). */
static void finish(struct process *p)
{
    ipc_pool_close(p); /* first: releases below must not start server threads */
    names_forget(p);
    handle_table_fini(&p->handles);
    loader_unload(&p->as, &p->images);
    as_deallocate(&p->as, USER_BASE, USER_END - USER_BASE);
    event_set(&p->finished);
    process_release(p); /* its own reference */
}

SCODE process_create(const char *name, const void *image, size_t size, int argc,
                     const char *const *argv, IUnknown *extra, const IID *iid, struct process **out)
{
    if (argc < 1 || argc > PROC_MAX_ARGS)
        return E_INVALIDARG;
    struct process *p = alloc_process(name);
    if (!p)
        return E_OUTOFMEMORY;
    p->next_all = all;
    all = p;
    SCODE sc =
        extra && !kiface_find(iid) ? E_NOINTERFACE : load(p, image, size, argc, argv, extra, iid);
    if (FAILED(sc)) {
        finish(p);
        process_release(p);
        return sc;
    }
    *out = p;
    return S_OK;
}

int32_t process_wait(struct process *p)
{
    event_wait(&p->finished);
    return p->exit_code;
}

void process_terminate(struct process *p, int32_t exit_code)
{
    unsigned long irq = np_begin(NP_SCHED);
    if (!p->dying) {
        p->exit_code = exit_code;
        p->dying = true;
        for (struct thread *t = sched_all_threads(); t; t = t->next_all)
            if (t->process == p && t->state != T_DEAD) {
                thread_object_set_exit(t, exit_code);
                thread_kill(t, process_thread_exit);
            }
    }
    np_end(NP_SCHED, irq);
    ipc_pool_close(p);
}

static struct semaphore reap_sem;

void process_thread_exit(void *unused)
{
    (void)unused;
    struct thread *self = thread_current();
    ipc_thread_exit(self->process, self);
    self->reap = true;
    sem_up(&reap_sem);
    thread_exit();
}

void process_kernel_thread_exit(void)
{
    thread_current()->reap = true;
    sem_up(&reap_sem);
    thread_exit();
}

/* A dead user thread waiting to be joined, or NULL. */
static struct thread *take_reapable(void)
{
    unsigned long irq = np_begin(NP_SCHED);
    struct thread *t = sched_all_threads();
    while (t && !t->reap)
        t = t->next_all;
    if (t)
        t->reap = false;
    np_end(NP_SCHED, irq);
    return t;
}

/* The reaper: joins each dead user thread (freeing its kernel stack) and
 * finishes its process when it was the last; joins the kernel process's
 * threads too. A system thread, so its own stack never grows under a
 * guest test's leak check. */
static void reaper(void *unused)
{
    (void)unused;
    for (;;) {
        sem_down(&reap_sem);
        struct thread *t = take_reapable();
        if (!t)
            continue;
        struct process *p = t->process;
        void *object = t->object;
        thread_join(t);
        /* p NULL: a thread of the kernel process (kernel_process.c), with
         * an IThread if CreateThread made it, none if it runs an image */
        if (p && __atomic_sub_fetch(&p->nthreads, 1, __ATOMIC_ACQ_REL) == 0)
            finish(p);
        if (object)
            thread_object_reaped(object); /* may drop the last reference to p */
    }
}

void proc_init(void)
{
    sem_init(&reap_sem, "reap", 0);
    if (!thread_create_system("reaper", SCHED_NPRIO - 2, reaper, 0))
        panic("proc: no memory for the reaper");
}

/* IProcess: the object's methods. The space object answers for its two
 * interfaces and asks back here for the rest, so only those two go there. */
static SCODE p_query(IProcess *This, REFIID riid, void **ppv)
{
    struct process *p = of(This);
    *ppv = 0;
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_IProcess)) {
        __atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
        *ppv = This;
        return S_OK;
    }
    if (com_iid_equal(riid, &IID_IAddressSpace) || com_iid_equal(riid, &IID_IMemoryObject))
        return IAddressSpace_QueryInterface(p->space, riid, ppv);
    return E_NOINTERFACE;
}

static SCODE p_addref(IProcess *This)
{
    __atomic_add_fetch(&of(This)->refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static SCODE p_release(IProcess *This)
{
    process_release(of(This));
    return S_OK;
}

static SCODE start_thread(struct process *p, uintptr_t entry, uintptr_t arg, size_t stack_size,
                          IThread **out)
{
    uintptr_t base;
    size_t size;
    if (p->dying || event_is_set(&p->finished))
        return E_UNEXPECTED;
    if (p->nthreads >= PROC_MAX_THREADS)
        return E_OUTOFMEMORY;
    SCODE sc = user_stack_alloc(p, stack_size ? stack_size : PROC_STACK_SIZE, &base, &size);
    if (FAILED(sc))
        return sc;
    return thread_object_start(p, entry, arg, base + PAGE_SIZE + size - 16, base, size, out);
}

static SCODE p_create_thread(IProcess *This, ADDRESS Entry, ADDRESS Arg, ADDR_SIZE StackSize,
                             IThread **ppThread)
{
    return start_thread(of(This), Entry, Arg, StackSize, ppThread);
}

SCODE process_start_thread(struct process *p, uintptr_t entry, uintptr_t arg)
{
    return start_thread(p, entry, arg, 0, 0);
}

static SCODE p_get_id(IProcess *This, uint32_t *pId)
{
    *pId = of(This)->id;
    return S_OK;
}

static SCODE p_terminate(IProcess *This, int32_t ExitCode)
{
    process_terminate(of(This), ExitCode);
    return S_OK;
}

static SCODE p_wait(IProcess *This, uint32_t TimeoutMs, int32_t *pExitCode)
{
    struct process *p = of(This);
    if (p == process_current())
        return E_INVALIDARG; /* it would wait for itself forever */
    if (TimeoutMs != 0xffffffffu && !event_is_set(&p->finished))
        return TimeoutMs ? E_NOTIMPL : S_FALSE;
    *pExitCode = process_wait(p);
    return S_OK;
}

static SCODE p_set_exception_handler(IProcess *This, ADDRESS Handler)
{
    if (Handler && (Handler < USER_BASE || Handler >= USER_END))
        return E_INVALIDARG;
    of(This)->exception_handler = Handler;
    return S_OK;
}

static SCODE p_continue(IProcess *This, ADDRESS Pc)
{
    struct thread *self = thread_current();
    if (of(This) != self->process || !self->in_exception_handler)
        return E_UNEXPECTED;
    if (Pc && (Pc < USER_BASE || Pc >= USER_END))
        return E_INVALIDARG;
    self->continue_pending = true; /* kcall_enter resumes the saved frame */
    self->continue_pc = Pc;
    return S_OK;
}

static SCODE p_exit_thread(IProcess *This, int32_t ExitCode)
{
    struct thread *self = thread_current();
    if (of(This) != self->process)
        return E_UNEXPECTED;
    thread_object_set_exit(self, ExitCode);
    thread_kill(self, process_thread_exit); /* as the call returns */
    return S_OK;
}

static SCODE p_sleep(IProcess *This, uint32_t Ms)
{
    if (of(This) != process_current())
        return E_UNEXPECTED;
    uint64_t deadline = timer_ticks() + ((uint64_t)Ms * CONFIG_HZ + 999) / 1000;
    if (deadline == timer_ticks())
        deadline++;
    unsigned long irq = np_begin(NP_SCHED);
    while (sched_wait_goes_on(deadline))
        irq = sched_wait_interruptible(NP_SCHED, irq, deadline);
    np_end(NP_SCHED, irq);
    return S_OK;
}

/* Only the process itself configures its pool and serves. */
static SCODE p_set_server_pool(IProcess *This, ADDRESS Entry, ADDRESS Arg, uint32_t MaxThreads,
                               uint32_t IdleMs, uint32_t QueueMs)
{
    if (of(This) != process_current())
        return E_UNEXPECTED;
    return ipc_set_pool(of(This), Entry, Arg, MaxThreads, IdleMs, QueueMs);
}

static SCODE p_serve(IProcess *This, SCODE Result, BYTE *Buffer, uint32_t Size,
                     SERVE_REQUEST *pRequest)
{
    if (of(This) != process_current())
        return E_UNEXPECTED;
    return ipc_serve(of(This), Result, Buffer, (uintptr_t)Buffer - USER_KERNEL_BIAS, Size,
                     pRequest);
}

static SCODE p_get_time(IProcess *This, uint64_t *pMs)
{
    (void)This;
    *pMs = timer_ms();
    return S_OK;
}

static SCODE p_create_event(IProcess *This, IEvent **ppEvent)
{
    (void)This;
    return event_object_create(ppEvent);
}

static const struct IProcessVtbl process_vtbl = {
    p_query,    p_addref,      p_release,      p_create_thread,
    p_get_id,   p_terminate,   p_wait,         p_set_exception_handler,
    p_continue, p_exit_thread, p_sleep,        p_set_server_pool,
    p_serve,    p_get_time,    p_create_event,
};
