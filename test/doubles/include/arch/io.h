/* Host double of <arch/io.h>: the host tests drive no devices, so there
 * is no port space; the header exists so <kernel/arch.h> compiles. */
#ifndef ARCH_IO_H
#define ARCH_IO_H

#endif
