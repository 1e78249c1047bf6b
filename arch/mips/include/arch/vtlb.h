/* The MIPS VTLB's per-space state: the space's ASID (0: none yet). */
#ifndef ARCH_VTLB_H
#define ARCH_VTLB_H

#include <stdint.h>

struct arch_vtlb_as {
    uint8_t asid;
};

#endif
