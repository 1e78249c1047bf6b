/* Host double of <arch/cpu.h>: an interrupt flag that only records its
 * state, so tests can check that code which must run with interrupts off
 * (spinlock holders) does. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>

#define ARCH_NAME "host"

extern bool host_irq_enabled;

static inline unsigned long arch_irq_save(void)
{
    unsigned long was = host_irq_enabled;
    host_irq_enabled = false;
    return was;
}

static inline void arch_irq_restore(unsigned long was)
{
    if (was)
        host_irq_enabled = true;
}

static inline bool arch_irq_enabled(void)
{
    return host_irq_enabled;
}

static inline void arch_irq_enable(void)
{
    host_irq_enabled = true;
}

static inline void arch_irq_disable(void)
{
    host_irq_enabled = false;
}

#endif
