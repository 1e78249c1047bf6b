/* The heap (see heap.h).
 *
 * Design. Small blocks come from chunks of HEAP_CHUNK bytes that
 * IAddressSpace::Allocate commits wherever the space chooses; chunks are
 * never given back (a process's heap rarely shrinks, and keeping them
 * makes merging free blocks of adjacent chunks harmless). Every block,
 * used or free, starts with a header: its size, header included, a
 * multiple of HEAP_ALIGN, and a tag saying used, free or big. Free blocks
 * sit on one list in address order, so free() finds both neighbours in
 * one walk and merges with each that touches it: two adjacent free blocks
 * never stay apart. Allocation is first fit, cutting the block's tail off
 * as a new free block when the rest can hold a minimal one. A request
 * above HEAP_BIG gets whole pages of its own, tagged big, given back with
 * Deallocate when freed. Every size computation is checked for overflow
 * before it is done. */
#include "heap.h"
#include <rialto.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define HEAP_ALIGN _Alignof(max_align_t)
#define TAG_USED   0x55534544u /* "USED" */
#define TAG_FREE   0x46524545u /* "FREE" */
#define TAG_BIG    0x42494721u /* "BIG!" */

struct block {
    size_t size; /* header included */
    size_t tag;
};

struct free_block {
    struct block h;
    struct free_block *next; /* the next free block, at a higher address */
};

#define ROUND_UP(n, a) (((n) + (a)-1) / (a) * (a))
#define HEADER         ROUND_UP(sizeof(struct block), HEAP_ALIGN)
#define MIN_BLOCK      ROUND_UP(sizeof(struct free_block), HEAP_ALIGN)

static struct free_block *free_list;
static struct rt_heap_stats stats;

/* A heap structure that cannot be: a bad free, a double free, an
 * overwritten header. Going on would corrupt more. */
__attribute__((noreturn)) static void heap_corrupt(void)
{
    __builtin_trap();
}

static void *payload(struct block *b)
{
    return (char *)b + HEADER;
}

static struct block *header_of(void *p)
{
    return (struct block *)(void *)((char *)p - HEADER);
}

/* The block size for a request of n bytes; false if it overflows. */
static bool block_size(size_t n, size_t *out)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - HEADER - HEAP_ALIGN)
        return false;
    size_t size = ROUND_UP(n + HEADER, HEAP_ALIGN);
    *out = size < MIN_BLOCK ? MIN_BLOCK : size;
    return true;
}

/* Committed, readable and writable pages anywhere in the space. */
static void *pages(size_t size)
{
    IAddressSpace *as = CurrentAddressSpace();
    ADDRESS addr = 0;
    if (!as ||
        FAILED(IAddressSpace_Allocate(as, &addr, size, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE)))
        return NULL;
    return (void *)addr;
}

/* Put b on the free list in address order and merge it with the free
 * neighbours it touches. */
static void insert_free(struct block *blk)
{
    struct free_block *b = (struct free_block *)(void *)blk;
    uintptr_t at = (uintptr_t)b;
    struct free_block *prev = NULL, *next = free_list;
    while (next && (uintptr_t)next < at) {
        prev = next;
        next = next->next;
    }
    if ((next && at + b->h.size > (uintptr_t)next) || (prev && (uintptr_t)prev + prev->h.size > at))
        heap_corrupt(); /* overlaps a free block: freed twice, or a bad size */
    b->h.tag = TAG_FREE;
    b->next = next;
    if (prev)
        prev->next = b;
    else
        free_list = b;
    stats.free_blocks++;
    stats.free_bytes += b->h.size;
    if (next && at + b->h.size == (uintptr_t)next) {
        b->h.size += next->h.size;
        b->next = next->next;
        next->h.tag = 0;
        stats.free_blocks--;
    }
    if (prev && (uintptr_t)prev + prev->h.size == at) {
        prev->h.size += b->h.size;
        prev->next = b->next;
        b->h.tag = 0;
        stats.free_blocks--;
    }
}

/* First fit: take a free block of at least `size` bytes off the list,
 * leaving its tail there when the tail can be a block. */
static struct block *take_free(size_t size)
{
    for (struct free_block **pp = &free_list; *pp; pp = &(*pp)->next) {
        struct free_block *b = *pp;
        if (b->h.size < size)
            continue;
        if (b->h.size - size >= MIN_BLOCK) {
            struct free_block *rest = (struct free_block *)(void *)((char *)b + size);
            rest->h.size = b->h.size - size;
            rest->h.tag = TAG_FREE;
            rest->next = b->next;
            *pp = rest;
            b->h.size = size;
        } else {
            *pp = b->next;
            stats.free_blocks--;
        }
        stats.free_bytes -= b->h.size;
        b->h.tag = TAG_USED;
        return &b->h;
    }
    return NULL;
}

static bool grow(void)
{
    struct block *chunk = pages(HEAP_CHUNK);
    if (!chunk)
        return false;
    stats.chunks++;
    chunk->size = HEAP_CHUNK;
    insert_free(chunk);
    return true;
}

static void *big_alloc(size_t size)
{
    if (size > SIZE_MAX - HEAP_PAGE_SIZE)
        return NULL;
    size = ROUND_UP(size, HEAP_PAGE_SIZE);
    struct block *b = pages(size);
    if (!b)
        return NULL;
    b->size = size;
    b->tag = TAG_BIG;
    stats.big_blocks++;
    return payload(b);
}

void *rt_malloc(size_t n)
{
    size_t size;
    if (!block_size(n, &size))
        return NULL;
    if (size > HEAP_BIG)
        return big_alloc(size);
    for (;;) {
        struct block *b = take_free(size);
        if (b)
            return payload(b);
        if (!grow())
            return NULL;
    }
}

void rt_free(void *p)
{
    if (!p)
        return;
    if ((uintptr_t)p % HEAP_ALIGN)
        heap_corrupt();
    struct block *b = header_of(p);
    if (b->tag == TAG_BIG) {
        IAddressSpace *as = CurrentAddressSpace();
        b->tag = 0;
        stats.big_blocks--;
        if (FAILED(IAddressSpace_Deallocate(as, (ADDRESS)b, b->size)))
            heap_corrupt(); /* not pages of ours after all */
        return;
    }
    if (b->tag != TAG_USED || b->size < MIN_BLOCK || b->size % HEAP_ALIGN)
        heap_corrupt();
    insert_free(b);
}

void *rt_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = rt_malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *rt_realloc(void *p, size_t n)
{
    if (!p)
        return rt_malloc(n);
    struct block *b = header_of(p);
    if (b->tag != TAG_USED && b->tag != TAG_BIG)
        heap_corrupt();
    size_t size;
    if (!block_size(n, &size))
        return NULL;
    if (size <= b->size)
        return p; /* it fits: keep it (a shrink gives nothing back) */
    void *q = rt_malloc(n);
    if (q) {
        memcpy(q, p, b->size - HEADER);
        rt_free(p);
    }
    return q;
}

void rt_heap_stats(struct rt_heap_stats *out)
{
    *out = stats;
}

void rt_heap_reset(void)
{
    free_list = NULL;
    stats = (struct rt_heap_stats){0};
}
