/* Uniprocessor spinlocks (see <kernel/sync/lock.h>). */
#include <arch/cpu.h>
#include <kernel/sync/lock.h>

/* Interrupts off, and the lock must have been free: held by its own CPU
 * it would never be released. */
static void take(struct spinlock *l)
{
    stack_probe();
    unsigned long irq = arch_irq_save();
    if (l->held)
        panic("spinlock %s taken twice", l->name);
    l->held = true;
    l->saved_irq = irq;
}

static void give(struct spinlock *l)
{
    if (!l->held)
        panic("spinlock %s released but not held", l->name);
    l->held = false;
    arch_irq_restore(l->saved_irq);
}

void spin_lock(struct spinlock *l)
{
    take(l);
    np_enter(l->kind);
}

void spin_unlock(struct spinlock *l)
{
    give(l);
    np_exit(l->kind); /* may switch, now that interrupts are back */
    stack_unprobe();
}

void spin_lock_brief(struct spinlock *l)
{
    take(l);
}

void spin_unlock_brief(struct spinlock *l)
{
    give(l);
    stack_unprobe();
}

bool spin_held(const struct spinlock *l)
{
    return l->held;
}
