/* Small-object heaps over whole physical pages reached through unmapped
 * memory. Size classes are powers of two from 16 to 2048 bytes; each page
 * (a slab) holds objects of one class behind a small header, and goes back
 * to the page allocator as soon as its last object is freed, so "free
 * pages before and after" checks see heap memory too.
 *
 * There are separate heap instances because the paper wants the kernel
 * address space's tree nodes in a heap of their own, in unmapped memory
 * (section 3.2.1): a kernel VTLB miss may read them. */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include <kernel/sync/lock.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_MIN_SIZE 16
#define HEAP_MAX_SIZE 2048
#define HEAP_NCLASSES 8 /* 16, 32, ..., 2048 */

struct slab;

struct heap {
    const char *name;
    struct spinlock lock;
    struct slab *partial[HEAP_NCLASSES]; /* slabs with at least one free object */
    size_t pages;                        /* slab pages held */
    size_t bytes;                        /* bytes handed out, in whole size classes */
    uint64_t allocs, frees, failures;
};

void heap_init(struct heap *h, const char *name);

/* An object of at least `size` bytes (1..HEAP_MAX_SIZE), 16-byte aligned,
 * not zeroed; NULL when no page is left. */
void *heap_alloc(struct heap *h, size_t size);

/* Fault injection for guest tests (issue 14): the n-th heap_alloc from
 * now on, of any heap, returns NULL (1 = the next one); 0 turns it off.
 * Returns how many heap_allocs were counted since the last call: while
 * armed, up to and including the one that failed. Apart from
 * vm_fail_allocation, whose counts the VM's host tests rely on. */
unsigned long heap_fail_allocation(unsigned long n);

/* Free an object of this heap. Freeing into the wrong heap, or a pointer
 * the heap never handed out, panics. */
void heap_free(struct heap *h, void *p);

/* The general kernel heap. */
extern struct heap kernel_heap;

#endif
