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
