/* The C allocator: the heap of heap.c under its standard names (kept
 * apart so the host tests can run the heap next to the C library's
 * malloc). com_alloc and com_free are in hooks.c. */
#include "heap.h"
#include <stdlib.h>

void *malloc(size_t size)
{
    return rt_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    return rt_calloc(count, size);
}

void *realloc(void *p, size_t size)
{
    return rt_realloc(p, size);
}

void free(void *p)
{
    rt_free(p);
}
