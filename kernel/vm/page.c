/* The physical memory policy of committed pages (see <kernel/vm/vm.h>):
 * zero-fill for alloc-zero, erasure unless the page's last owner allowed
 * reuse unerased, and the counters the paper measures it by. Also the
 * fault-injection hook every VM allocation passes through. */
#include "region.h"

#include <arch/cpu.h>
#include <kernel/lib/inject.h>
#include <kernel/string.h>
#include <kernel/vm/physmap.h>

static struct vm_page_stats stats;

/* Counted from preemptible threads: a 64-bit increment is several
 * instructions, so keep interrupts (and so preemption) out of it. */
static void count(uint64_t *counter)
{
    unsigned long irq = arch_irq_save();
    (*counter)++;
    arch_irq_restore(irq);
}

static struct inject injection; /* vm_fail_allocation */
static unsigned long paused;    /* vm_inject_pause: allocations not counted */

unsigned long vm_fail_allocation(unsigned long n)
{
    return inject_arm(&injection, n);
}

bool vm_may_allocate(void)
{
    return __atomic_load_n(&paused, __ATOMIC_RELAXED) || !inject_fails(&injection);
}

void vm_inject_pause(bool pause)
{
    __atomic_add_fetch(&paused, pause ? 1ul : (unsigned long)-1, __ATOMIC_RELAXED);
}

paddr_t vm_page_alloc(const struct as *as, uint32_t commit_flags, struct vm_page_tally *tally)
{
    if (!vm_may_allocate())
        return PADDR_NONE;
    bool zero = commit_flags & AS_COMMIT_ALLOC_ZERO, unerased;
    paddr_t pa = pmem_alloc_page_above(as->keep_free, !zero, &unerased);
    if (pa == PADDR_NONE)
        return pa;
    if (zero) {
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
        tally->zero_filled++;
    } else if (unerased) {
        tally->unerased++;
    } else {
        memset(phys_to_virt(pa), VM_ERASE_PATTERN, PAGE_SIZE);
        tally->erased++;
    }
    return pa;
}

void vm_page_count(const struct vm_page_tally *tally)
{
    unsigned long irq = arch_irq_save();
    stats.pages_zero_filled += tally->zero_filled;
    stats.pages_erased += tally->erased;
    stats.pages_unerased += tally->unerased;
    arch_irq_restore(irq);
}

paddr_t vm_page_alloc_copy(const struct as *as)
{
    if (!vm_may_allocate())
        return PADDR_NONE;
    bool unerased;
    return pmem_alloc_page_above(as->keep_free, true, &unerased);
}

/* A frame under a GetPhysicalAddress lock waits for its last release
 * (framelock.c), which frees it with the same flags. */
void vm_page_free(paddr_t pa, uint32_t commit_flags)
{
    if (frame_defer_free(pa, commit_flags))
        return;
    vm_page_release(pa, commit_flags);
}

void vm_page_release(paddr_t pa, uint32_t commit_flags)
{
    if (commit_flags & AS_COMMIT_DEALLOC_NO_ERASE) {
        pmem_free_noerase(pa);
        count(&stats.pages_freed_noerase);
    } else {
        pmem_free(pa);
    }
}

void vm_count_cow(void)
{
    count(&stats.cow_copies);
}

void vm_count_autocommit(void)
{
    count(&stats.autocommit_pages);
}

void vm_get_page_stats(struct vm_page_stats *out)
{
    *out = stats;
}
