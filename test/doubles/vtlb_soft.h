/* The reference VTLB: a software set-associative cache of page
 * translations, tagged by address space (kernel/vm/vtlb_soft.c). The host
 * tests' <kernel/vm/vtlb.h> is this (test/doubles/vtlb.c forwards to it); the
 * kernels have their arch's VTLB. Size and associativity are parameters. */
#ifndef KERNEL_VTLB_SOFT_H
#define KERNEL_VTLB_SOFT_H

#include <kernel/vm/vtlb.h>

#define VTLB_SOFT_MAX_ENTRIES 4096

struct vtlb_soft_entry {
    uint32_t tag; /* the space's vtlb_tag; 0: invalid */
    uint32_t prot;
    vaddr_t vpage; /* page-aligned virtual address */
    paddr_t ppage;
};

struct vtlb_soft_stats {
    uint64_t hits, misses, enters, evictions, removes, flushes;
    unsigned valid; /* entries in use now */
};

/* The <kernel/vm/vtlb.h> operations, on this cache. */
void vtlb_soft_enter(struct as *as, vaddr_t va, const struct vtlb_mapping *m);
void vtlb_soft_remove(struct as *as, vaddr_t va, size_t size);
void vtlb_soft_flush(struct as *as);
void vtlb_soft_as_init(struct as *as);
void vtlb_soft_as_fini(struct as *as);

/* entries: a power of two up to VTLB_SOFT_MAX_ENTRIES; ways divides it.
 * Drops every entry. */
void vtlb_soft_configure(unsigned entries, unsigned ways);

/* Enter the whole run a miss reports, not just the page missed (default). */
extern bool vtlb_soft_runs;

/* What a TLB lookup by the processor would find: true with *pa if a valid
 * entry of `as` translates va and allows access. */
bool vtlb_soft_lookup(struct as *as, vaddr_t va, uint32_t access, paddr_t *pa);

/* What a processor behind this software TLB does for one access: look
 * va up, and on a miss ask vtlb_miss, enter the translation or resolve the
 * fault (as_resolve_fault), and retry. S_OK with *pa; VM_E_EXCEPTION with
 * *reason; or the fault resolution's error (E_OUTOFMEMORY). Kernel code
 * uses it to reach an address space that has no hardware mapping. A
 * no-exception mapping's invalid source page (VTLB_SCRATCH) is S_OK at
 * VTLB_SOFT_SCRATCH_PA, with *reason saying why, and is not entered (the
 * kernel removes scratch entries at every switch anyway). */
#define VTLB_SOFT_SCRATCH_PA 0 /* the frame the host tests never give the page allocator */
SCODE vtlb_soft_access(struct as *as, vaddr_t va, uint32_t access, paddr_t *pa,
                       enum vm_exception *reason);

/* Call fn for every valid entry (for tests that compare it with the tree). */
void vtlb_soft_foreach(void (*fn)(const struct vtlb_soft_entry *e, void *arg), void *arg);

void vtlb_soft_get_stats(struct vtlb_soft_stats *s);

#endif
