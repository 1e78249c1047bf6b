/* The C and COM allocators: the heap of heap.c under their standard
 * names (kept apart so the host tests can run the heap next to the C
 * library's malloc). */
#include "heap.h"
#include <com/com.h>
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

void *com_alloc(size_t n)
{
    return rt_malloc(n);
}

void com_free(void *p)
{
    rt_free(p);
}
