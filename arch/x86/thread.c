/* A new x86 thread's first frame, at the top of its stack: what trap.S
 * pops and irets into, so the thread starts at entry() with interrupts on
 * and its stack empty. */
#include <arch/thread.h>
#include <arch/x86.h>
#include <kernel/string.h>

void arch_thread_init(struct arch_thread *t, void (*entry)(void), uintptr_t stack_top)
{
    struct trap_frame *tf = (struct trap_frame *)(stack_top - TRAP_FRAME_SAME_RING_SIZE);
    memset(tf, 0, TRAP_FRAME_SAME_RING_SIZE);
    tf->gs = tf->fs = tf->es = tf->ds = SEL_KDATA;
    tf->eip = (uint32_t)(uintptr_t)entry;
    tf->cs = SEL_KCODE;
    tf->eflags = 0x202; /* IF, and the always-one bit */
    t->frame = tf;
}
