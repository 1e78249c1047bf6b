/* Host double of <arch/vtlb.h>: the reference VTLB needs no per-space state
 * and counts nothing of its own. */
#ifndef ARCH_VTLB_H
#define ARCH_VTLB_H

struct arch_vtlb_as {
    int unused;
};

struct arch_vtlb_stats {
    int unused;
};

#endif
