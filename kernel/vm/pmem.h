/* The physical page allocator: one bit per page frame between the lowest
 * and highest usable address, with counters for the console and tests.
 *
 * Pages are handed out as physical addresses; the kernel reaches them
 * through unmapped memory (phys_to_virt in <arch/mmu.h>). The allocator
 * never erases or zeroes a page: that policy belongs to the VM layer
 * (kernel/vm/page.c). What it does keep apart is the pages whose last
 * owner said they may reach someone else unerased (pmem_free_noerase):
 * they wait on their own stack so the VM layer can prefer them. */
#ifndef KERNEL_PMEM_H
#define KERNEL_PMEM_H

#include <arch/mmu.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PADDR_NONE ((paddr_t)-1)

struct mem_range {
    paddr_t base;
    paddr_t size;
};

struct pmem_stats {
    size_t total_pages;    /* usable pages (free + allocated), excluding reserved */
    size_t free_pages;     /* pages ready to allocate, no-erase ones included */
    size_t noerase_pages;  /* free pages freed with pmem_free_noerase */
    size_t reserved_pages; /* usable on paper but taken at boot (kernel, bitmaps) */
    uint64_t allocs;       /* successful pmem_alloc calls */
    uint64_t frees;        /* pmem_free calls */
    uint64_t failures;     /* pmem_alloc calls that found no page */
};

/* Build the allocator from the usable ranges minus the reserved ones.
 * Ranges need not be sorted or page aligned (usable ranges shrink inward
 * to page boundaries, reserved ones grow outward). The bitmaps and the
 * no-erase stack (4 bytes a frame, so no page ever holds the allocator's
 * links) are carved out of usable memory. Returns the number of free pages. */
size_t pmem_init(const struct mem_range *usable, int nusable, const struct mem_range *reserved,
                 int nreserved);

/* One page, or PADDR_NONE when none is free. Pages that may hold someone
 * else's data come first; no-erase pages only when no other is left. */
paddr_t pmem_alloc(void);

/* With prefer_unerased, a no-erase page if there is one, else as
 * pmem_alloc. *unerased says whether the page came from the no-erase
 * stack (true: its last owner allowed reuse without erasure). */
paddr_t pmem_alloc_page(bool prefer_unerased, bool *unerased);
/* The same, but only while more than `keep` pages are free (else
 * PADDR_NONE, counted as a failure): a process's pages leave the
 * kernel's reserve (struct as's keep_free). */
paddr_t pmem_alloc_page_above(size_t keep, bool prefer_unerased, bool *unerased);

/* Return a page from pmem_alloc. Freeing a page twice, a reserved page or
 * an address the allocator does not manage panics. */
void pmem_free(paddr_t page);

/* Return a page whose contents its owner lets reach others unerased. */
void pmem_free_noerase(paddr_t page);

/* n physically contiguous pages (thread stacks), or PADDR_NONE; freed
 * with pmem_free_run. */
paddr_t pmem_alloc_run(size_t n);
void pmem_free_run(paddr_t first, size_t n);

void pmem_get_stats(struct pmem_stats *stats);
/* The page is handed out (not free, not on the no-erase stack): tests
 * check a frame's owner let go of it. */
bool pmem_page_in_use(paddr_t page);

#endif
