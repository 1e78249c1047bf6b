/* The slab heap's guard against writes after free (kernel/vm/heap.c): a
 * freed object is poisoned, and the next allocation of it panics when the
 * poison was touched. */
#include "vmtest.h"

#include <criterion/criterion.h>
#include <kernel/vm/heap.h>
#include <signal.h>

TestSuite(vm_heap, .init = vmtest_init, .fini = vmtest_fini);

static struct heap h;

Test(vm_heap, freed_memory_comes_back_unchanged)
{
    heap_init(&h, "poison");
    char *keep = heap_alloc(&h, 64), *p = heap_alloc(&h, 64);
    p[63] = 1;
    heap_free(&h, p);
    char *q = heap_alloc(&h, 64);
    cr_expect_eq(q, p, "the same object again (last freed, first out)");
    heap_free(&h, q);
    heap_free(&h, keep);
}

Test(vm_heap, a_write_after_free_panics_at_the_next_allocation, .signal = SIGABRT)
{
    heap_init(&h, "poison");
    char *keep = heap_alloc(&h, 64); /* keeps the slab (an empty one goes back) */
    char *p = heap_alloc(&h, 64);
    heap_free(&h, p);
    p[40] = 1; /* a late answer into a freed record */
    heap_alloc(&h, 64);
    heap_free(&h, keep);
}
