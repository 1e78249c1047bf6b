/* Thread objects (see <kernel/proc/thread_object.h>). */
#include <kernel/arch.h>
#include <kernel/proc/thread_object.h>
#include <kernel/sched/sched.h>
#include <kernel/vm/heap.h>
#include <stddef.h>

#define container_of(p, type, field) ((type *)(void *)((char *)(p)-offsetof(type, field)))

struct thread_object {
    IThread ithread;
    uint32_t refs;
    struct process *p;    /* referenced; NULL: a thread of the kernel process */
    uintptr_t entry, arg; /* a kernel process thread's start */
    struct thread *t;     /* NULL once reaped */
    uint32_t id;
    uintptr_t stack_base; /* a stack of its own to free, or 0 */
    size_t stack_size;
    int32_t exit_code;
    struct event exited;
};

static const struct IThreadVtbl thread_vtbl;
static uint32_t next_id = 1;

static struct thread_object *of(IThread *i)
{
    return container_of(i, struct thread_object, ithread);
}

static void release(struct thread_object *o)
{
    if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL))
        return;
    if (o->p)
        process_release(o->p);
    heap_free(&kernel_heap, o);
}

SCODE user_stack_alloc(struct process *p, size_t size, uintptr_t *base, size_t *rounded)
{
    if (size > USER_END - USER_BASE - PAGE_SIZE)
        return E_INVALIDARG;
    size = (size + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
    vaddr_t at = 0;
    SCODE sc = as_reserve(&p->as, &at, PAGE_SIZE + size, AS_ANYWHERE);
    if (SUCCEEDED(sc))
        sc = as_commit(&p->as, at + PAGE_SIZE, size, AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO);
    if (FAILED(sc) && at)
        as_deallocate(&p->as, at, PAGE_SIZE + size);
    *base = at;
    *rounded = size;
    return sc;
}

static struct thread_object *new_object(struct process *p)
{
    struct thread_object *o = heap_alloc(&kernel_heap, sizeof *o);
    if (!o)
        return 0;
    *o = (struct thread_object){.ithread = {&thread_vtbl}, .refs = 1, .p = p, .id = next_id++};
    event_init(&o->exited, "thread exited");
    if (p)
        __atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
    return o;
}

/* A kernel process thread: its object first (the reaper finds it there),
 * then the image's code at its entry with its argument. */
static void kernel_thread_start(void *arg)
{
    struct thread_object *o = arg;
    thread_current()->object = o;
    arch_enter_image(o->entry, o->arg);
}

SCODE thread_object_start_kernel(uintptr_t entry, uintptr_t arg, IThread **out)
{
    struct thread_object *o = new_object(NULL);
    if (!o)
        return E_OUTOFMEMORY;
    o->entry = entry, o->arg = arg;
    o->refs++; /* the thread's own */
    o->t = thread_create("kernel process", PRIO_NORMAL, kernel_thread_start, o);
    if (!o->t) {
        o->refs--;
        release(o);
        return E_OUTOFMEMORY;
    }
    *out = &o->ithread;
    return S_OK;
}

SCODE thread_object_start(struct process *p, uintptr_t pc, uintptr_t arg, uintptr_t sp,
                          uintptr_t base, size_t size, IThread **out)
{
    struct thread_object *o = new_object(p);
    if (!o) {
        as_deallocate(&p->as, base, PAGE_SIZE + size);
        return E_OUTOFMEMORY;
    }
    o->stack_base = base;
    o->stack_size = size;
    o->refs++;                                             /* the thread's own */
    __atomic_add_fetch(&p->nthreads, 1, __ATOMIC_ACQ_REL); /* the reaper counts down meanwhile */
    o->t = thread_create_user(p->name, PRIO_NORMAL, &p->as, p, o, pc, sp, arg);
    if (!o->t) {
        __atomic_sub_fetch(&p->nthreads, 1, __ATOMIC_ACQ_REL);
        o->refs--;
        as_deallocate(&p->as, base, PAGE_SIZE + size);
        release(o);
        return E_OUTOFMEMORY;
    }
    if (out)
        *out = &o->ithread;
    else
        release(o);
    return S_OK;
}

void thread_object_set_exit(struct thread *t, int32_t code)
{
    struct thread_object *o = t->object;
    if (o && !event_is_set(&o->exited))
        o->exit_code = code;
}

void thread_object_reaped(void *object)
{
    struct thread_object *o = object;
    o->t = 0;
    if (o->stack_base && o->p && !event_is_set(&o->p->finished))
        as_deallocate(&o->p->as, o->stack_base, PAGE_SIZE + o->stack_size);
    event_set(&o->exited);
    release(o);
}

static SCODE t_query(IThread *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_IThread))
        return E_NOINTERFACE;
    __atomic_add_fetch(&of(This)->refs, 1, __ATOMIC_RELAXED);
    *ppv = This;
    return S_OK;
}

static SCODE t_addref(IThread *This)
{
    __atomic_add_fetch(&of(This)->refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static SCODE t_release(IThread *This)
{
    release(of(This));
    return S_OK;
}

static SCODE t_get_info(IThread *This, THREAD_INFO *pInfo)
{
    struct thread_object *o = of(This);
    unsigned long irq = np_begin(NP_SCHED);
    struct thread *t = o->t;
    THREAD_INFO info = {o->id, t ? t->prio : 0, THREAD_STATE_EXITED, o->stack_base + PAGE_SIZE,
                        o->stack_size};
    if (t && t->state != T_DEAD)
        info.State = t == thread_current()   ? THREAD_STATE_RUNNING
                     : t->state == T_BLOCKED ? THREAD_STATE_BLOCKED
                                             : THREAD_STATE_READY;
    np_end(NP_SCHED, irq);
    *pInfo = info;
    return S_OK;
}

static SCODE t_set_priority(IThread *This, int32_t Priority)
{
    (void)This, (void)Priority;
    return E_NOTIMPL;
}

static SCODE t_suspend(IThread *This)
{
    (void)This;
    return E_NOTIMPL;
}

static SCODE t_join(IThread *This, uint32_t TimeoutMs, int32_t *pExitCode)
{
    struct thread_object *o = of(This);
    if (o->t && o->t == thread_current())
        return E_INVALIDARG; /* it would wait for itself forever */
    if (TimeoutMs == 0xffffffffu)
        event_wait(&o->exited);
    if (!event_is_set(&o->exited))
        return TimeoutMs ? E_NOTIMPL : S_FALSE;
    *pExitCode = o->exit_code;
    return S_OK;
}

static SCODE t_terminate(IThread *This, int32_t ExitCode)
{
    struct thread_object *o = of(This);
    if (!o->p)
        return E_NOTIMPL; /* a kernel thread ends by itself only */
    unsigned long irq = np_begin(NP_SCHED);
    if (o->t && o->t->state != T_DEAD && !o->t->kill_fn) {
        o->exit_code = ExitCode;
        thread_kill(o->t, process_thread_exit);
    }
    np_end(NP_SCHED, irq);
    return S_OK;
}

static const struct IThreadVtbl thread_vtbl = {
    t_query,   t_addref,  t_release, t_get_info,  t_set_priority,
    t_suspend, t_suspend, t_join,    t_terminate,
};
