/* Mutexes with priority inheritance through chains of owners (paper
 * 3.2.2). A released mutex is handed to its
 * most urgent waiter, so a woken thread never has to fight for it again. */
#include <kernel/arch.h>
#include <kernel/sched/sched.h>
#include <kernel/sync/lock.h>

/* Enter and leave the primitives' non-preemptible section. */
static unsigned long sync_enter(void)
{
    return np_begin(NP_SYNC);
}

static void sync_exit(unsigned long irq)
{
    np_end(NP_SYNC, irq);
}

/* Block the current thread (already on a wait queue) and come back in
 * the section once woken. */
static unsigned long wait(unsigned long irq)
{
    return sched_wait(NP_SYNC, irq);
}

/* Raise the owners along the chain that starts at m to prio. */
static void inherit(struct mutex *m, int prio)
{
    for (int depth = 0; m && m->owner && depth < 64; depth++) {
        struct thread *owner = m->owner;
        if (owner->prio >= prio)
            return;
        sched_set_effective_priority(owner, prio);
        m = owner->waiting_on;
        if (m) { /* keep the owner's place in that mutex's queue by priority */
            sched_remove_waiter(&m->waiters, owner);
            sched_enqueue_waiter(&m->waiters, owner);
        }
    }
}

/* The priority t deserves from what it holds: its own, or its most urgent
 * waiter's. */
static int deserved_priority(struct thread *t)
{
    int prio = t->base_prio;
    for (struct mutex *m = t->held; m; m = m->next_held) {
        if (m->waiters && m->waiters->prio > prio)
            prio = m->waiters->prio;
    }
    return prio;
}

static void take(struct mutex *m, struct thread *t)
{
    m->owner = t;
    m->next_held = t->held;
    t->held = m;
}

void mutex_lock(struct mutex *m)
{
    struct thread *self = thread_current();
    if (!self) { /* before the scheduler: nobody else can hold it */
        if (m->owner)
            panic("mutex %s held before threads exist", m->name);
        m->owner = (struct thread *)m;
        return;
    }
    stack_probe(); /* held until mutex_unlock: the fault path may need m */
    unsigned long irq = sync_enter();
    if (m->owner == self)
        panic("mutex %s taken twice by %s", m->name, self->name);
    if (!m->owner) {
        take(m, self);
        sync_exit(irq);
        return;
    }
    if (sched_in_trap())
        panic("mutex %s held by %s: a trap cannot wait for it", m->name, m->owner->name);
    self->waiting_on = m;
    sched_enqueue_waiter(&m->waiters, self);
    inherit(m, self->prio);
    while (m->owner != self) /* handed over by mutex_unlock */
        irq = wait(irq);
    self->waiting_on = 0;
    sync_exit(irq);
}

static void unlink_held(struct thread *t, struct mutex *m)
{
    for (struct mutex **p = &t->held; *p; p = &(*p)->next_held) {
        if (*p == m) {
            *p = m->next_held;
            return;
        }
    }
}

void mutex_unlock(struct mutex *m)
{
    struct thread *self = thread_current();
    if (!self) {
        if (!m->owner)
            panic("mutex %s released but not held", m->name);
        m->owner = 0;
        return;
    }
    unsigned long irq = sync_enter();
    if (m->owner != self)
        panic("mutex %s released by %s, which does not hold it", m->name, self->name);
    unlink_held(self, m);
    struct thread *next = sched_dequeue_waiter(&m->waiters);
    m->owner = 0;
    if (next) {
        take(m, next);
        next->waiting_on = 0;
        sched_set_effective_priority(next, deserved_priority(next));
        sched_wake(next);
    }
    sched_set_effective_priority(self, deserved_priority(self));
    sync_exit(irq); /* switches here if next is more urgent */
    stack_unprobe();
}

bool mutex_held(const struct mutex *m)
{
    struct thread *self = thread_current();
    return self ? m->owner == self : m->owner != 0;
}
