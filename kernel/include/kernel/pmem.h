/* The physical page allocator: one bit per page frame between the lowest
 * and highest usable address, with counters for the console and tests.
 *
 * Pages are handed out as physical addresses; the kernel reaches them
 * through unmapped memory (phys_to_virt in <arch/mmu.h>). The allocator
 * never erases or zeroes a page: that policy belongs to the VM layer. */
#ifndef KERNEL_PMEM_H
#define KERNEL_PMEM_H

#include <arch/mmu.h>
#include <stddef.h>
#include <stdint.h>

#define PADDR_NONE ((paddr_t)-1)

struct mem_range {
    paddr_t base;
    paddr_t size;
};

struct pmem_stats {
    size_t total_pages;    /* usable pages (free + allocated), excluding reserved */
    size_t free_pages;     /* pages ready to allocate */
    size_t reserved_pages; /* usable on paper but taken at boot (kernel, bitmap) */
    uint64_t allocs;       /* successful pmem_alloc calls */
    uint64_t frees;        /* pmem_free calls */
    uint64_t failures;     /* pmem_alloc calls that found no page */
};

/* Build the allocator from the usable ranges minus the reserved ones.
 * Ranges need not be sorted or page aligned (usable ranges shrink inward
 * to page boundaries, reserved ones grow outward). The bitmap itself is
 * carved out of usable memory. Returns the number of free pages. */
size_t pmem_init(const struct mem_range *usable, int nusable, const struct mem_range *reserved,
                 int nreserved);

/* One page, or PADDR_NONE when none is free. */
paddr_t pmem_alloc(void);

/* Return a page from pmem_alloc. Freeing a page twice, a reserved page or
 * an address the allocator does not manage panics. */
void pmem_free(paddr_t page);

void pmem_get_stats(struct pmem_stats *stats);

#endif
