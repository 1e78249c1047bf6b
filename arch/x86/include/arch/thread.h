/* An x86 thread's saved context: its trap frame stays on its own stack
 * (the kernel runs at ring 0, where traps do not switch stacks), so a
 * thread is resumed by pointing esp at its frame. */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <arch/trap.h>
#include <stdbool.h>
#include <stdint.h>

struct arch_thread {
    struct trap_frame *frame;
};

/* At ring 0 a fault on the stack itself would push onto that stack and
 * double-fault: until kernel threads run at ring 1 (paper 3.4.2), x86
 * stacks are fixed pages of unmapped memory. */
#define ARCH_KERNEL_STACKS_FAULT 0

/* The stack pointer a switched-out thread will resume with: above its
 * frame, which is on its stack. */
static inline uintptr_t arch_thread_sp(const struct arch_thread *t)
{
    return (uintptr_t)t->frame + TRAP_FRAME_SAME_RING_SIZE;
}

/* Resuming the thread starts entry() on a stack ending at stack_top, at
 * ring 0 with interrupts enabled. */
void arch_thread_init(struct arch_thread *t, void (*entry)(void), uintptr_t stack_top);

static inline void arch_thread_save(struct arch_thread *t, struct trap_frame *tf)
{
    t->frame = tf;
}

static inline struct trap_frame *arch_thread_frame(struct arch_thread *t)
{
    return t->frame;
}

static inline bool arch_frame_preemptible(const struct trap_frame *tf)
{
    return tf->eflags & 0x200; /* IF */
}

#define YIELD_VECTOR 0x81

/* Trap into the scheduler. */
static inline void arch_yield(void)
{
    __asm__ volatile("int $0x81" ::: "memory");
}

#endif
