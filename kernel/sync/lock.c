/* Uniprocessor spinlocks and (for now) thread-less mutexes; see
 * <kernel/sync.h>. */
#include <arch/cpu.h>
#include <kernel/sync.h>

void spin_lock(struct spinlock *l)
{
    unsigned long irq = arch_irq_save();
    if (l->held)
        panic("spinlock %s taken twice", l->name);
    l->held = true;
    l->saved_irq = irq;
}

void spin_unlock(struct spinlock *l)
{
    if (!l->held)
        panic("spinlock %s released but not held", l->name);
    l->held = false;
    arch_irq_restore(l->saved_irq);
}

bool spin_held(const struct spinlock *l)
{
    return l->held;
}

void mutex_lock(struct mutex *m)
{
    if (m->held)
        panic("mutex %s taken twice (no threads to wait for it yet)", m->name);
    m->held = true;
}

void mutex_unlock(struct mutex *m)
{
    if (!m->held)
        panic("mutex %s released but not held", m->name);
    m->held = false;
}

bool mutex_held(const struct mutex *m)
{
    return m->held;
}
