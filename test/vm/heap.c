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

/* Objects never handed out are taken in address order: every one of a
 * class lies after its slab's header and inside its page, and none is
 * handed out twice. */
Test(vm_heap, new_objects_stay_inside_their_slab)
{
    enum { N = 20 };
    static const size_t sizes[] = {16, 48, 1024, 2048};
    heap_init(&h, "bump");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        char *p[N];
        for (int i = 0; i < N; i++) {
            p[i] = heap_alloc(&h, sizes[k]);
            uintptr_t off = (uintptr_t)p[i] & (PAGE_SIZE - 1);
            cr_assert(p[i] && off != 0 && off + sizes[k] <= PAGE_SIZE, "size %zu, object %d at %p",
                      sizes[k], i, (void *)p[i]);
            for (int j = 0; j < i; j++)
                cr_assert_neq(p[i], p[j]);
        }
        for (int i = 0; i < N; i++)
            heap_free(&h, p[i]);
    }
    cr_expect_eq(h.pages, 0, "every slab went back");
}
