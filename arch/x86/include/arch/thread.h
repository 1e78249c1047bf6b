/* An x86 thread's saved context: a whole trap frame, kept in the thread
 * (unmapped memory), as on MIPS. Kernel threads run at ring 1, so every
 * outermost trap saves its frame at the top of the interrupt stack;
 * switching away copies that frame here, and switching back copies it
 * there again (arch/x86/trap.c). Part of the arch
 * contract (<kernel/arch.h>). */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <arch/trap.h>
#include <stdbool.h>
#include <stdint.h>

struct arch_thread {
    struct trap_frame frame;
};

/* The stack pointer a switched-out thread will resume with (its frame
 * came from ring 1 or 3, so the processor saved esp in it; from ring 3
 * it is the user stack's, which kernel/sched/stack.c knows). */
static inline uintptr_t arch_thread_sp(const struct arch_thread *t)
{
    return t->frame.esp;
}

static inline void arch_thread_save(struct arch_thread *t, struct trap_frame *tf)
{
    t->frame = *tf;
}

static inline struct trap_frame *arch_thread_frame(struct arch_thread *t)
{
    return &t->frame;
}

/* The trap interrupted a thread (ring 1, or its user mode at ring 3)
 * running with interrupts on.
 * Ring-0 code runs only on the interrupt stack, inside another trap
 * (arch_wait_for_interrupt's halt, for one): never a place to switch. */
static inline bool arch_frame_irq_enabled(const struct trap_frame *tf)
{
    return tf->eflags & 0x200; /* IF */
}

static inline bool arch_frame_preemptible(const struct trap_frame *tf)
{
    return arch_frame_irq_enabled(tf) && (tf->cs & 3); /* not ring 0 */
}

#define YIELD_VECTOR 0x81

/* Trap into the scheduler. */
static inline void arch_yield(void)
{
    __asm__ volatile("int $0x81" ::: "memory");
}

#endif
