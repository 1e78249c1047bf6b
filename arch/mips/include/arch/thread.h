/* A MIPS thread's saved context: a whole trap frame, kept in the thread
 * (unmapped memory). Traps save onto the interrupt stack; switching away
 * copies that frame here, and switching back resumes from here. A kernel
 * call keeps the caller's user frame in a second one. Part of the arch
 * contract (<kernel/arch.h>). */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <arch/trap.h>
#include <stdbool.h>
#include <stdint.h>

struct arch_thread {
    struct trap_frame frame;
    /* the user registers of a kernel call in progress (arch/mips/trap.S
     * saves them here, in kseg0, before it leaves exception level) */
    struct trap_frame user;
};

/* The stack pointer a switched-out thread will resume with. */
static inline uintptr_t arch_thread_sp(const struct arch_thread *t)
{
    return t->frame.regs[29];
}

static inline void arch_thread_save(struct arch_thread *t, struct trap_frame *tf)
{
    if (tf != &t->frame)
        t->frame = *tf;
}

static inline struct trap_frame *arch_thread_frame(struct arch_thread *t)
{
    return &t->frame;
}

/* The trap interrupted code that ran with interrupts enabled. */
static inline bool arch_frame_irq_enabled(const struct trap_frame *tf)
{
    return tf->status & 1; /* Status.IE */
}

static inline bool arch_frame_preemptible(const struct trap_frame *tf)
{
    return arch_frame_irq_enabled(tf);
}

/* Trap into the scheduler (the syscall instruction). */
static inline void arch_yield(void)
{
    __asm__ volatile("syscall" ::: "memory");
}

#endif
