/* The x86 VTLB's per-space state: the space's page directory. */
#ifndef ARCH_VTLB_H
#define ARCH_VTLB_H

#include <stdint.h>

struct arch_vtlb_as {
    uint32_t pgdir; /* physical address of the page directory; 0: none yet */
};

#endif
