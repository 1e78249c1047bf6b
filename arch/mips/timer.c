/* The tick from CP0 Count/Compare (interrupt line IP7), and the 64-bit
 * instruction counter built on Count.
 *
 * QEMU's malta advances Count once per 6 ns of virtual time (a 320 MHz CPU
 * clock, Count at half rate, truncated to whole nanoseconds); under
 * -icount shift=0 one instruction is one nanosecond, so Count * 6 counts
 * instructions. */
#include <arch/mips.h>
#include <kernel/arch.h>
#include <kernel/timer.h>

#define NS_PER_COUNT 6u
#define COUNT_HZ     (1000000000u / NS_PER_COUNT)

static uint32_t interval;
static uint32_t last_count;
static uint64_t count_high; /* Count's wraps, in units of 2^32 */

void arch_timer_init(unsigned hz)
{
    interval = COUNT_HZ / hz;
    write_c0_compare(read_c0_count() + interval);
    write_c0_status(read_c0_status() | ST_IM7);
}

/* Called at every tick, so no wrap of Count (every 25 s) goes unseen. */
uint64_t arch_cycles(void)
{
    unsigned long flags = arch_irq_save();
    uint32_t c = read_c0_count();
    if (c < last_count)
        count_high += (uint64_t)1 << 32;
    last_count = c;
    uint64_t counts = count_high | c;
    arch_irq_restore(flags);
    return counts * NS_PER_COUNT;
}

void mips_timer_interrupt(void)
{
    uint32_t next = read_c0_compare() + interval;
    /* If ticks were missed (a long stop in a debugger), skip them rather
     * than firing them back to back. */
    if ((int32_t)(next - read_c0_count()) <= 0)
        next = read_c0_count() + interval;
    write_c0_compare(next); /* also acknowledges the interrupt */
    arch_cycles();
    timer_tick();
}
