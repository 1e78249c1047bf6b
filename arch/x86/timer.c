/* The tick from the 8254 PIT's channel 0, and the TSC as instruction
 * counter (under qemu -icount shift=0 it advances once per instruction). */
#include <arch/io.h>
#include <arch/x86.h>
#include <kernel/arch.h>

#define PIT_HZ      1193182u
#define PIT_CH0     0x40
#define PIT_CMD     0x43
#define PIT_RATEGEN 0x34 /* channel 0, lobyte/hibyte, mode 2 (rate generator) */

void arch_timer_init(unsigned hz)
{
    unsigned divisor = (PIT_HZ + hz / 2) / hz;
    io_write8(PIT_CMD, PIT_RATEGEN);
    io_write8(PIT_CH0, (uint8_t)divisor);
    io_write8(PIT_CH0, (uint8_t)(divisor >> 8));
    pic_unmask(IRQ_TIMER);
}

uint64_t arch_cycles(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}
