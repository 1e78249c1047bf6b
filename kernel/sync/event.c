/* Events (see <kernel/sync/event.h>). */
#include <kernel/sched/np.h>
#include <kernel/sync/event.h>

void event_init(struct event *e, const char *name)
{
    e->set = false;
    e->waiters = 0;
    sem_init(&e->sem, name, 0);
}

void event_wait(struct event *e)
{
    unsigned long irq = np_begin(NP_SCHED);
    bool wait = !e->set;
    if (wait)
        e->waiters++;
    np_end(NP_SCHED, irq);
    if (wait)
        sem_down(&e->sem);
}

void event_set(struct event *e)
{
    unsigned long irq = np_begin(NP_SCHED);
    unsigned n = e->set ? 0 : e->waiters;
    e->set = true;
    e->waiters = 0;
    np_end(NP_SCHED, irq);
    while (n--)
        sem_up(&e->sem);
}
