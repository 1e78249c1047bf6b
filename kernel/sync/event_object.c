/* IEvent objects (idl/IEvent.idl): Set wakes every thread waiting now,
 * or, with none waiting, leaves the event set for the next Wait, which
 * clears it. The waiters sit in a small table; each Wait blocks with its
 * deadline (sched_wait_interruptible) until Set marks it woken, its time
 * is up, or its thread is being ended. */
#include <IEvent.h>
#include <kernel/sched/np.h>
#include <kernel/sched/sched.h>
#include <kernel/sync/event_object.h>
#include <kernel/timer.h>
#include <kernel/vm/heap.h>
#include <config.h>

struct waiter {
    struct thread *t;
    bool woken;
};

struct event_object {
    IEvent iface; /* first: the object is its interface */
    uint32_t refs;
    bool set;
    struct waiter waiting[EVENT_MAX_WAITERS];
};

static struct event_object *of(IEvent *e)
{
    return (struct event_object *)e;
}

static SCODE e_query(IEvent *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_IEvent))
        return E_NOINTERFACE;
    __atomic_add_fetch(&of(This)->refs, 1, __ATOMIC_RELAXED);
    *ppv = This;
    return S_OK;
}

static SCODE e_addref(IEvent *This)
{
    __atomic_add_fetch(&of(This)->refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static SCODE e_release(IEvent *This)
{
    if (!__atomic_sub_fetch(&of(This)->refs, 1, __ATOMIC_ACQ_REL))
        heap_free(&kernel_heap, of(This));
    return S_OK;
}

static SCODE e_set(IEvent *This)
{
    struct event_object *e = of(This);
    bool woke = false;
    unsigned long irq = np_begin(NP_SCHED);
    for (unsigned i = 0; i < EVENT_MAX_WAITERS; i++)
        if (e->waiting[i].t && !e->waiting[i].woken) {
            e->waiting[i].woken = true;
            sched_wake(e->waiting[i].t);
            woke = true;
        }
    if (!woke)
        e->set = true;
    np_end(NP_SCHED, irq);
    return S_OK;
}

static struct waiter *enter(struct event_object *e)
{
    for (unsigned i = 0; i < EVENT_MAX_WAITERS; i++)
        if (!e->waiting[i].t) {
            e->waiting[i] = (struct waiter){thread_current(), false};
            return &e->waiting[i];
        }
    return 0;
}

static SCODE e_wait(IEvent *This, uint32_t TimeoutMs)
{
    struct event_object *e = of(This);
    uint64_t deadline =
        TimeoutMs ? timer_ticks() + ((uint64_t)TimeoutMs * CONFIG_HZ + 999) / 1000 : 0;
    SCODE sc = S_OK;
    unsigned long irq = np_begin(NP_SCHED);
    struct waiter *w = e->set ? 0 : enter(e);
    if (e->set)
        e->set = false;
    else if (!w)
        sc = EVENT_E_TOO_MANY;
    while (w && !w->woken && sched_wait_goes_on(deadline))
        irq = sched_wait_interruptible(NP_SCHED, irq, deadline);
    if (w) {
        sc = w->woken ? S_OK : EVENT_E_TIMEOUT;
        w->t = 0;
    }
    np_end(NP_SCHED, irq);
    return sc;
}

static const struct IEventVtbl vtbl = {e_query, e_addref, e_release, e_set, e_wait};

SCODE event_object_create(IEvent **out)
{
    struct event_object *e = heap_alloc(&kernel_heap, sizeof *e);
    *out = 0;
    if (!e)
        return E_OUTOFMEMORY;
    *e = (struct event_object){.iface = {&vtbl}, .refs = 1};
    *out = &e->iface;
    return S_OK;
}
