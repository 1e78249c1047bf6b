/* A MIPS thread's saved context: a whole trap frame, kept in the thread
 * (unmapped memory). Traps save onto the interrupt stack; switching away
 * copies that frame here, and switching back resumes from here. */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <arch/trap.h>
#include <stdbool.h>
#include <stdint.h>

struct arch_thread {
    struct trap_frame frame;
};

/* Traps run on the interrupt stack, so a kernel thread's stack may fault:
 * thread stacks can grow on demand. */
#define ARCH_KERNEL_STACKS_FAULT 1

/* The stack pointer a switched-out thread will resume with. */
static inline uintptr_t arch_thread_sp(const struct arch_thread *t)
{
    return t->frame.regs[29];
}

/* Resuming the thread starts entry() on a stack ending at stack_top, in
 * kernel mode with interrupts enabled. */
void arch_thread_init(struct arch_thread *t, void (*entry)(void), uintptr_t stack_top);

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
static inline bool arch_frame_preemptible(const struct trap_frame *tf)
{
    return tf->status & 1; /* Status.IE */
}

/* Trap into the scheduler (the syscall instruction). */
static inline void arch_yield(void)
{
    __asm__ volatile("syscall" ::: "memory");
}

#endif
