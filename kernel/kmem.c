/* The kernel address space, and the `vm` console command. */
#include <kernel/console.h>
#include <kernel/kmem.h>
#include <kernel/kprintf.h>
#include <kernel/vtlb_soft.h>

struct as kernel_as;
struct heap kernel_as_heap;

void kmem_init(void)
{
    heap_init(&kernel_as_heap, "kernel AS nodes");
    as_init(&kernel_as, "kernel", KERNEL_MAPPED_BASE, KERNEL_MAPPED_END, &kernel_as_heap);
}

CONSOLE_COMMAND(vm, "address-space, page-policy and VTLB counters")
{
    struct vm_page_stats p;
    vm_get_page_stats(&p);
    kprintf("kernel space: %zu regions, %zu pages reserved, %zu committed, %zu resident\n",
            kernel_as.nregions, kernel_as.reserved_pages, kernel_as.committed_pages,
            kernel_as.resident_pages);
    kprintf("pages: %llu zero-filled, %llu erased, %llu reused unerased, %llu freed no-erase\n",
            (unsigned long long)p.pages_zero_filled, (unsigned long long)p.pages_erased,
            (unsigned long long)p.pages_unerased, (unsigned long long)p.pages_freed_noerase);
    kprintf("faults: %llu copy-on-write, %llu auto-commit\n", (unsigned long long)p.cow_copies,
            (unsigned long long)p.autocommit_pages);
    struct vtlb_soft_stats v;
    vtlb_soft_get_stats(&v);
    kprintf("vtlb: %u valid, %llu hits, %llu misses, %llu enters, %llu evictions\n", v.valid,
            (unsigned long long)v.hits, (unsigned long long)v.misses, (unsigned long long)v.enters,
            (unsigned long long)v.evictions);
    kprintf("heaps: kernel %zu pages, kernel AS nodes %zu pages\n", kernel_heap.pages,
            kernel_as_heap.pages);
}
