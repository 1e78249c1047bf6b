/* The C allocator: the heap of heap.c under its standard names (kept
 * apart so the host tests can run the heap next to the C library's
 * malloc), behind the runtime's lock: server threads and CreateThread's
 * threads allocate too. com_alloc and com_free (hooks.c) come here. */
#include "heap.h"
#include "lock.h"
#include <stdlib.h>

static struct rt_lock heap_lock;

void *malloc(size_t size)
{
    rt_lock(&heap_lock);
    void *p = rt_malloc(size);
    rt_unlock(&heap_lock);
    return p;
}

void *calloc(size_t count, size_t size)
{
    rt_lock(&heap_lock);
    void *p = rt_calloc(count, size);
    rt_unlock(&heap_lock);
    return p;
}

void *realloc(void *p, size_t size)
{
    rt_lock(&heap_lock);
    void *q = rt_realloc(p, size);
    rt_unlock(&heap_lock);
    return q;
}

void free(void *p)
{
    rt_lock(&heap_lock);
    rt_free(p);
    rt_unlock(&heap_lock);
}
