/* x86 CPU primitives for kernel/ (see <kernel/arch.h>). */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define ARCH_NAME        "x86"
#define ARCH_ELF_MACHINE 3 /* EM_386: what executables for this arch say */

#define EFLAGS_IF 0x200u

static inline unsigned long arch_irq_save(void)
{
    unsigned long flags;
    __asm__ volatile("pushfl; popl %0; cli" : "=r"(flags)::"memory");
    return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
    if (flags & EFLAGS_IF)
        __asm__ volatile("sti" ::: "memory");
}

static inline bool arch_irq_enabled(void)
{
    unsigned long flags;
    __asm__ volatile("pushfl; popl %0" : "=r"(flags));
    return flags & EFLAGS_IF;
}

static inline void arch_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

static inline void arch_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

/* Vector of arch_wait_for_interrupt's trap (gate DPL 1, arch/x86/trap.c). */
#define WAIT_VECTOR 0x83

/* Enable interrupts and halt until one arrives. hlt is ring 0's, and
 * kernel threads run at ring 1: the trap handler does `sti; hlt` (sti
 * delays interrupts by one instruction, so none slips in between) and
 * the interrupt nests on it; the trap's exit may then switch threads. */
static inline void arch_wait_for_interrupt(void)
{
    __asm__ volatile("int $0x83" ::: "memory");
}

static inline void arch_breakpoint(void)
{
    __asm__ volatile("int3" ::: "memory");
}

#endif
