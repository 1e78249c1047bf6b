/* Reaching a space's pages through their physical frames (the direct map),
 * whether or not the space is active: how the loader fills an image and a
 * new process's start block, and how the loader tells a shared page from
 * a private one. Kernel only. */
#ifndef KERNEL_VM_ACCESS_H
#define KERNEL_VM_ACCESS_H

#include <kernel/vm/vm.h>
#include <stdbool.h>

/* Copy n bytes to va of `as` as a write would: auto-commit pages are
 * committed and copy-on-write pages copied on the way, and a page that
 * may not be written is an error (VM_E_EXCEPTION). */
SCODE as_write_through(struct as *as, vaddr_t va, const void *src, size_t n);

/* The frame va's page reads from now, down any chain of mappings, without
 * faulting anything in: false if a read would fault (not committed yet,
 * or an exception). */
bool as_frame_of(struct as *as, vaddr_t va, paddr_t *pa);

#endif
