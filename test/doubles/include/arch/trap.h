/* Host double of <arch/trap.h>: no traps on the host; the frame is only
 * ever named by pointer (<kernel/arch.h>, panic_trap). */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

struct trap_frame;

#endif
