/* The kernel's own address space (paper 3.1: the tree is the only true
 * representation of every space, the kernel's included) over the arch's
 * mapped kernel range, with its tree nodes in a heap of their own in
 * unmapped memory, so a kernel VTLB miss never touches mapped memory. */
#ifndef KERNEL_KMEM_H
#define KERNEL_KMEM_H

#include <kernel/vm/vm.h>

extern struct as kernel_as;
extern struct heap kernel_as_heap;

/* physmap.c: kernel_as's unmapped memory (Reserve and Deallocate). */
extern const struct as_unmapped kernel_unmapped;

void kmem_init(void);

#endif
