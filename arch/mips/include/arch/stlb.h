/* The software TLB's layout (arch/mips/vtlb.c), shared with the refill
 * handler in arch/mips/trap.S that reads it: 2-way sets of 16-byte
 * entries {tag, EntryLo0, EntryLo1, spare}; the spare word of way 0
 * counts the set's refills. A tag is the EntryHi of the page pair
 * (VPN2 | ASID); STLB_INVALID_TAG has a bit that EntryHi never has. The
 * set of EntryHi h is STLB_SET(h) mod sets (set_of in vtlb.c, the first
 * instructions at exception_base in trap.S, and refill_way1's). vtlb.c
 * checks these offsets against struct stlb_entry with _Static_assert. */
#ifndef ARCH_STLB_H
#define ARCH_STLB_H

/* The set hash: the page pair's number VPN2 (h >> 13) and the ASID (h's
 * low 8 bits), the ASID twice: again at bit 7, so that a space's user and
 * kernel views (ASIDs 2p and 2p + 1, differing in bit 0 alone, over the
 * same addresses) do not put neighbouring pairs in one set. h << 7 brings
 * no VPN2 bit below bit 20, so up to 4096 sets see ASID and VPN2 only. */
#define STLB_SET(h) ((h) ^ ((h) << 7) ^ ((h) >> 13))

#define STLB_TAG         0
#define STLB_LO0         4
#define STLB_LO1         8
#define STLB_REFILLS     12 /* the spare word */
#define STLB_ENTRY_SIZE  16
#define STLB_SET_SHIFT   5 /* log2 of a set's size: where `ins` puts the set index */
#define STLB_SET_SIZE    32
#define STLB_INVALID_TAG 0x100
#define STLB_ALIGN       65536 /* so %lo(stlb) = 0 and a set index is inserted with ins */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct stlb_entry {
    uint32_t tag, lo0, lo1, spare;
};

/* The set (its two ways) where the software TLB keeps EntryHi h, as
 * vtlb.c's set_of finds it: for tests that check the refill handler
 * looks in the same place. */
struct stlb_entry *mips_stlb_set_of(uint32_t h);
#endif

#endif
