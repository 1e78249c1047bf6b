/* The kernel address space, and the `vm` console command. */
#include <kernel/console.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/physmap.h>
#include <kernel/kprintf.h>
#include <kernel/vm/trap.h>

struct as kernel_as;
struct heap kernel_as_heap;

void kmem_init(void)
{
    heap_init(&kernel_as_heap, "kernel AS nodes");
    as_init(&kernel_as, "kernel", KERNEL_MAPPED_BASE, KERNEL_MAPPED_END, &kernel_as_heap);
    /* Thread stacks are in this space: its spinlock's holders must not
     * touch them (paper 3.2.2), so its mutations run on the interrupt stack. */
    kernel_as.mutate_on_interrupt_stack = true;
    kernel_as.unmapped = &kernel_unmapped;
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
    struct vtlb_stats v;
    vtlb_get_stats(&v);
    kprintf("vtlb: %llu kernel misses, %llu user misses, bound %u, %zu of %zu bytes of mappings\n",
            (unsigned long long)v.kernel_misses, (unsigned long long)v.user_misses, v.bound,
            v.mapping_bytes, v.mapping_bytes_max);
    vtlb_print_arch_stats(&v.arch);
    struct vm_fault_stats f;
    vm_get_fault_stats(&f);
    kprintf("translation faults: %llu entered, %llu copy-on-write, %llu auto-commit, "
            "%llu exceptions (%llu in probes)\n",
            (unsigned long long)f.enters, (unsigned long long)f.cow,
            (unsigned long long)f.autocommit, (unsigned long long)f.exceptions,
            (unsigned long long)f.probe_failures);
    kprintf("heaps: kernel %zu pages, kernel AS nodes %zu pages, driver %zu pages\n",
            kernel_heap.pages, kernel_as_heap.pages, driver_heap.pages);
}
