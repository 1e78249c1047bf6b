/* The periodic timer tick (CONFIG_HZ per second). */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdbool.h>
#include <stdint.h>

/* Called by the arch's timer interrupt handler. */
void timer_tick(void);

/* Ticks since the timer started; the same in milliseconds. */
uint64_t timer_ticks(void);
uint64_t timer_ms(void);

/* Wait (halting the CPU between interrupts) until `n` more ticks passed. */
void timer_sleep_ticks(uint64_t n);

/* What arch_cycles() counts, for the console: "instructions" when the
 * machine counts instructions (tools/qemu --icount, as under
 * RIALTO_ICOUNT=1, the tests and the benchmarks, puts `icount` on the
 * command line), "cycles" (of some clock) otherwise. */
void cycles_set_counting_instructions(bool yes);
const char *cycles_unit(void);

#endif
