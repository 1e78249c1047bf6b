/* The periodic timer tick (CONFIG_HZ per second). */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

/* Called by the arch's timer interrupt handler. */
void timer_tick(void);

/* Ticks since the timer started. */
uint64_t timer_ticks(void);

/* Wait (halting the CPU between interrupts) until `n` more ticks passed. */
void timer_sleep_ticks(uint64_t n);

#endif
