/* The tick counter behind <kernel/timer.h>. */
#include <kernel/arch.h>
#include <kernel/sched/sched.h>
#include <kernel/vm/trap.h>
#include <config.h>
#include <kernel/timer.h>

static volatile uint64_t ticks;
static bool counting_instructions;

void timer_tick(void)
{
    ticks++;
    sched_tick();
    if (ticks % CONFIG_HZ == 0)
        vm_request_stack_reclaim();
}

uint64_t timer_ticks(void)
{
    unsigned long flags = arch_irq_save(); /* 64-bit reads are two loads */
    uint64_t t = ticks;
    arch_irq_restore(flags);
    return t;
}

uint64_t timer_ms(void)
{
    return timer_ticks() * 1000 / CONFIG_HZ;
}

void cycles_set_counting_instructions(bool yes)
{
    counting_instructions = yes;
}

const char *cycles_unit(void)
{
    return counting_instructions ? "instructions" : "cycles";
}

void timer_sleep_ticks(uint64_t n)
{
    uint64_t end = timer_ticks() + n;
    while (timer_ticks() < end)
        arch_wait_for_interrupt();
}
