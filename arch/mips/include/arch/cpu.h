/* MIPS CPU primitives for kernel/ (see <kernel/arch.h>). */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define ARCH_NAME        "mips"
#define ARCH_ELF_MACHINE 8 /* EM_MIPS: what executables for this arch say */

#define ST_IE 0x1u

static inline unsigned long arch_irq_save(void)
{
    unsigned long status;
    __asm__ volatile("di %0\n\tehb" : "=r"(status)::"memory");
    return status;
}

static inline void arch_irq_restore(unsigned long status)
{
    if (status & ST_IE)
        __asm__ volatile("ei\n\tehb" ::: "memory");
}

static inline bool arch_irq_enabled(void)
{
    unsigned long status;
    __asm__ volatile("mfc0 %0, $12" : "=r"(status));
    return status & ST_IE;
}

static inline void arch_irq_enable(void)
{
    __asm__ volatile("ei\n\tehb" ::: "memory");
}

static inline void arch_irq_disable(void)
{
    __asm__ volatile("di\n\tehb" ::: "memory");
}

/* Enable interrupts and wait for one. An interrupt taken between ei and
 * wait returns to the wait, which then sleeps until the next one: callers
 * poll, so this costs at most one tick of latency. */
static inline void arch_wait_for_interrupt(void)
{
    __asm__ volatile("ei\n\tehb\n\twait" ::: "memory");
}

static inline void arch_breakpoint(void)
{
    __asm__ volatile("break" ::: "memory");
}

#endif
