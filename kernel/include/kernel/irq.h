/* Device interrupts (paper 2.3): a driver registers a handler for an ISA
 * interrupt line (both machines have two cascaded 8259s, lines 0-15); the
 * arch finds which line interrupted and calls irq_dispatch, on the
 * interrupt stack with interrupts off. A handler may touch only unmapped
 * memory (the kernel image, the driver heap, AS_RESERVE_UNMAPPED and
 * PHYS_UNMAPPED memory): a translation fault while one runs panics
 * (kernel/vm/trap.c), so the VM never has to serve an interrupt. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>

#define IRQ_LINES 16

typedef void (*irq_handler)(void *arg);

/* Install h(arg) for line irq and unmask the line. False if the line is
 * out of range or already has a handler. */
bool irq_register(unsigned irq, irq_handler h, void *arg);
/* Mask the line and remove its handler. */
void irq_unregister(unsigned irq);

/* Called by the arch for a device interrupt on line irq (acknowledged at
 * the controller): run its handler, flagged as in a device interrupt. */
void irq_dispatch(unsigned irq);

/* True while a device interrupt handler runs (the translation-fault
 * path's check). */
bool irq_in_handler(void);

/* Interrupts that came with no handler registered. */
unsigned long irq_spurious_count(void);

#endif
