/* Host double of <arch/thread.h>: the host tests run no kernel threads,
 * so <kernel/arch.h> only needs the type to exist. */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

struct arch_thread {
    int unused;
};

#endif
