/* Host double of <arch/user.h>: no user mode on the host; the header
 * exists so <kernel/arch.h> compiles. */
#ifndef ARCH_USER_H
#define ARCH_USER_H
#endif
