/* A new MIPS thread's first frame. */
#include <arch/cpu.h>
#include <arch/mips.h>
#include <arch/thread.h>
#include <kernel/string.h>

void arch_thread_init(struct arch_thread *t, void (*entry)(void), uintptr_t stack_top)
{
    memset(&t->frame, 0, sizeof t->frame);
    t->frame.regs[29] = stack_top - 16; /* the o32 argument area */
    t->frame.epc = (uintptr_t)entry;
    /* EXL while the trap exit restores it; eret then clears it, leaving
     * kernel mode with interrupts on and the current interrupt mask */
    t->frame.status = (read_c0_status() & ~(uint32_t)ST_ERL) | ST_EXL | ST_IE;
}
