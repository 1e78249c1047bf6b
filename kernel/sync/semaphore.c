/* Counting semaphores (see <kernel/sync/semaphore.h>). */
#include <kernel/panic.h>
#include <kernel/sched/sched.h>
#include <kernel/sync/semaphore.h>

void sem_init(struct semaphore *s, const char *name, unsigned count)
{
    *s = (struct semaphore){.name = name, .count = count};
}

void sem_down(struct semaphore *s)
{
    unsigned long irq = np_begin(NP_SYNC);
    while (s->count == 0) {
        if (sched_in_trap())
            panic("semaphore %s: a trap cannot wait", s->name);
        sched_enqueue_waiter(&s->waiters, thread_current());
        irq = sched_wait(NP_SYNC, irq);
    }
    s->count--;
    np_end(NP_SYNC, irq);
}

void sem_up(struct semaphore *s)
{
    unsigned long irq = np_begin(NP_SYNC);
    s->count++;
    struct thread *t = sched_dequeue_waiter(&s->waiters);
    if (t)
        sched_wake(t);
    np_end(NP_SYNC, irq);
}
