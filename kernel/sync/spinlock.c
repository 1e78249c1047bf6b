/* Uniprocessor spinlocks (see <kernel/sync/lock.h>). */
#include <arch/cpu.h>
#include <kernel/sync/lock.h>

void spin_lock(struct spinlock *l)
{
    stack_probe();
    unsigned long irq = arch_irq_save();
    if (l->held)
        panic("spinlock %s taken twice", l->name);
    l->held = true;
    l->saved_irq = irq;
    np_enter(l->kind);
}

void spin_unlock(struct spinlock *l)
{
    if (!l->held)
        panic("spinlock %s released but not held", l->name);
    l->held = false;
    arch_irq_restore(l->saved_irq);
    np_exit(l->kind); /* may switch, now that interrupts are back */
    stack_unprobe();
}

void spin_lock_brief(struct spinlock *l)
{
    stack_probe();
    unsigned long irq = arch_irq_save();
    if (l->held)
        panic("spinlock %s taken twice", l->name);
    l->held = true;
    l->saved_irq = irq;
}

void spin_unlock_brief(struct spinlock *l)
{
    if (!l->held)
        panic("spinlock %s released but not held", l->name);
    l->held = false;
    arch_irq_restore(l->saved_irq);
    stack_unprobe();
}

bool spin_held(const struct spinlock *l)
{
    return l->held;
}
