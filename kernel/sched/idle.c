/* The idle thread, and the time it spends halted (see sched_halted_cycles).
 *
 * Under QEMU's -icount sleep=off a halt jumps virtual time to the next
 * event, so the cycle counter counts a wait for a device as if it were
 * work. A benchmark that waits (a disk, a network) subtracts the halted
 * stretches: each one runs from the idle thread's halt to the first
 * interrupt (timer_tick and irq_dispatch end it), so the interrupt's own
 * handling counts as work. One race undercounts: on MIPS an interrupt
 * taken between `ei` and `wait` ends the stretch before the halt, which
 * then counts as work until the next interrupt. */
#include <kernel/arch.h>
#include <kernel/sched/sched.h>

static uint64_t halted, halt_began;

void sched_idle_main(void *arg)
{
    (void)arg;
    for (;;) {
        arch_irq_disable();
        halt_began = arch_cycles();
        arch_wait_for_interrupt();
    }
}

void sched_idle_interrupted(void)
{
    if (!halt_began)
        return;
    halted += arch_cycles() - halt_began;
    halt_began = 0;
}

uint64_t sched_halted_cycles(void)
{
    unsigned long flags = arch_irq_save(); /* 64-bit reads are two loads */
    uint64_t h = halted;
    arch_irq_restore(flags);
    return h;
}
