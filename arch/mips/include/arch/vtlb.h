/* The MIPS VTLB's per-space state, the user ASID of the space's pair (the
 * kernel ASID is it plus one; 0: none yet), and its own counters. */
#ifndef ARCH_VTLB_H
#define ARCH_VTLB_H

#include <stdint.h>

struct arch_vtlb_as {
    uint8_t asid;
};

struct arch_vtlb_stats {
    uint64_t hw_refills;    /* all hardware TLB refills */
    uint64_t stlb_hits;     /* ... served by the software TLB */
    uint64_t asid_recycles; /* ASID pairs taken from one space for another */
};

#endif
