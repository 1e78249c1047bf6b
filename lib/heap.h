/* The runtime's heap, over IAddressSpace::Allocate and Deallocate of
 * CurrentAddressSpace() (lib/heap.c has the design). malloc, calloc,
 * realloc, free, com_alloc and com_free are these (lib/malloc.c). Pure
 * code: the host tests run it on a fake address space (test/lib). Not
 * thread-safe yet: a process has one thread until IProcess::CreateThread
 * arrives in the runtime. */
#ifndef LIB_HEAP_H
#define LIB_HEAP_H

#include <stddef.h>

/* Small blocks are cut from chunks of this many bytes; a request larger
 * than HEAP_BIG gets pages of its own, returned to the space on free. */
#define HEAP_CHUNK     (64 * 1024)
#define HEAP_BIG       (16 * 1024)
#define HEAP_PAGE_SIZE 4096 /* both arches; Allocate takes whole pages */

/* NULL when the space refuses or the size overflows. rt_malloc(0) gives
 * a unique pointer. */
void *rt_malloc(size_t size);
void *rt_calloc(size_t count, size_t size);
void *rt_realloc(void *p, size_t size);
/* NULL does nothing; a pointer the heap did not give, or one freed
 * twice, traps (when its header says so). */
void rt_free(void *p);

struct rt_heap_stats {
    size_t chunks;      /* chunks taken from the space (never returned) */
    size_t big_blocks;  /* big blocks live */
    size_t free_blocks; /* entries of the free list */
    size_t free_bytes;  /* bytes in them, headers included */
};
void rt_heap_stats(struct rt_heap_stats *out);

/* Forgets every chunk and block, without returning them: for host tests,
 * between tests. */
void rt_heap_reset(void);

#endif
