/* A new x86 thread's first frame, kept in the thread: what the trap exit
 * irets into, so the thread starts at entry() at ring 1 with interrupts
 * on, IOPL 1 and its stack empty. */
#include <arch/thread.h>
#include <arch/x86.h>
#include <kernel/string.h>

void arch_thread_init(struct arch_thread *t, void (*entry)(void), uintptr_t stack_top)
{
    struct trap_frame *tf = &t->frame;
    memset(tf, 0, sizeof *tf);
    tf->gs = tf->fs = tf->es = tf->ds = SEL_K1DATA;
    tf->eip = (uint32_t)(uintptr_t)entry;
    tf->cs = SEL_K1CODE;
    tf->eflags = 0x202 | EFLAGS_IOPL1; /* IF, and the always-one bit */
    tf->esp = (uint32_t)stack_top;
    tf->ss = SEL_K1DATA;
}
