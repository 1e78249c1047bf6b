/* The kernel's invariants checked from a guest test (see check.h). */
#include "check.h"
#include <kernel/panic.h>
#include <kernel/proc/process.h>
#include <kernel/sched/np.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/pmem.h>

static void check_counters(const char *who)
{
    struct pmem_stats st;
    pmem_get_stats(&st);
    if (st.free_pages > st.total_pages || st.noerase_pages > st.free_pages)
        panic("%s: page counters: %zu free, %zu no-erase of %zu", who, st.free_pages,
              st.noerase_pages, st.total_pages);
    if (kernel_heap.bytes > kernel_heap.pages * PAGE_SIZE)
        panic("%s: the kernel heap hands out %zu bytes from %zu pages", who, kernel_heap.bytes,
              kernel_heap.pages);
}

void check_kernel(const char *who)
{
    as_check(&kernel_as);
    uint32_t ids[32];
    unsigned n = 0;
    unsigned long irq = np_begin(NP_SCHED); /* the list changes under spawns and reaps */
    for (struct process *p = process_list(); p && n < 32; p = p->next_all)
        ids[n++] = p->id;
    np_end(NP_SCHED, irq);
    for (unsigned i = 0; i < n; i++) {
        struct process *p = process_find(ids[i]);
        if (!p)
            continue;
        as_check(&p->as);
        handle_table_check(&p->handles);
        process_release(p);
    }
    check_counters(who);
}
