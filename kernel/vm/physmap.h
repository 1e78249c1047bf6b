/* The driver VM API (paper 2.3, Figure 3), in the kernel process only:
 * physical memory mapped into the kernel's space, physical addresses of
 * kernel memory for DMA, locked while the device uses them, and unmapped
 * memory for interrupt handlers (docs/ARCHITECTURE.md, "Drivers").
 * Addresses are kernel virtual addresses; frames are physical. */
#ifndef KERNEL_VM_PHYSMAP_H
#define KERNEL_VM_PHYSMAP_H

#include <kernel/vm/vm.h>

/* MapPhysicalMemory's attributes, beside AS_PROT_* (which a mapped
 * range takes as Map's do): PHYS_UNMAPPED answers an address in
 * unmapped memory instead of a range of kernel_as, so an interrupt
 * handler may use it; PHYS_UNCACHED with it asks for the uncached view
 * (MIPS kseg1, for device registers; x86's direct map serves both). */
#define PHYS_UNMAPPED 0x01000000u
#define PHYS_UNCACHED 0x02000000u

/* Map [phys, phys + size) (page aligned) into the kernel's space at a
 * place it chooses, *virt. The frames stay whoever's they were: device
 * registers, or RAM another owner frees. as_deallocate(&kernel_as, *virt,
 * size) removes the mapping (and forgets an unmapped one); no frame is
 * ever freed by it. */
SCODE MapPhysicalMemory(paddr_t phys, size_t size, uint32_t flags, vaddr_t *virt);

/* The physical address of kernel address virt, *phys, and how many bytes
 * from it (at most size) are physically contiguous and resident, *contig;
 * those frames are locked (counted) until ReleasePhysicalAddress. A frame
 * freed while locked goes back to the allocator only at its last release.
 * virt's page must be resident (VM_E_NOT_COMMITTED otherwise): touch an
 * auto-commit page first. VM_E_NO_MEMORY: too many frames locked. */
SCODE GetPhysicalAddress(vaddr_t virt, size_t size, paddr_t *phys, size_t *contig);

/* Drop one lock of every frame of [phys, phys + size) that
 * GetPhysicalAddress locked; VM_E_NOT_LOCKED if some frame was not
 * (the others are still released). */
SCODE ReleasePhysicalAddress(paddr_t phys, size_t size);

/* framelock.c: the counting locks (at most VM_FRAME_LOCKS_MAX frames). */
#define VM_FRAME_LOCKS_MAX 64
bool frame_lock(paddr_t pa);    /* false: the table is full */
SCODE frame_unlock(paddr_t pa); /* frees a deferred frame at the last unlock */
/* pa is being freed: if it is locked, remember to free it (with these
 * commit flags) at its last unlock, and say so. */
bool frame_defer_free(paddr_t pa, uint32_t commit_flags);
unsigned frame_lock_count(paddr_t pa);

/* The driver heap (paper 2.3): small objects in unmapped memory, for what
 * interrupt handlers touch. */
extern struct heap driver_heap;

#endif
