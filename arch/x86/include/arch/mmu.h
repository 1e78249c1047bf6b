/* x86 memory layout constants and the unmapped-memory translation.
 *
 * Kernel code and data segments have base 1 GiB (KERNEL_SEGMENT_BASE) and
 * wrap at 4 GiB, so a kernel virtual address v is the linear address
 * v + 1 GiB. Unmapped memory is kernel virtual 0x80000000 and up: linear
 * 0xC0000000 and up, mapped onto physical 0 at boot with 4 MiB pages that
 * are never recycled. See docs/ARCHITECTURE.md. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>

#include <arch/copy.h>

typedef uint32_t paddr_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u

#define KERNEL_SEGMENT_BASE 0x40000000u /* linear = kernel virtual + this */
#define UNMAPPED_BASE       0x80000000u /* kernel virtual of physical 0 */
#define UNMAPPED_SIZE       0x40000000u /* physical memory reachable unmapped */
#define KERNEL_MAPPED_BASE  0x40000000u /* the kernel address space's mapped range */
#define KERNEL_MAPPED_END   0x80000000u
#define USER_BASE           0x00010000u /* user address spaces: [USER_BASE, USER_END) */
#define USER_END            0x80000000u
/* The kernel reaches user address u at u + USER_KERNEL_BIAS (paper 3.3):
 * linear u + 3 GiB + 1 GiB segment base wraps to linear u. */
#define USER_KERNEL_BIAS 0xc0000000u
/* The overlap region: user addresses that the kernel's own space has at
 * the same virtual addresses (paper 3.3, Figure 5); DLLs are linked here. */
#define OVERLAP_BASE 0x40000000u
#define OVERLAP_END  0x80000000u

static inline void *phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)(pa + UNMAPPED_BASE);
}

static inline paddr_t virt_to_phys(const void *va)
{
    return (paddr_t)((uintptr_t)va - UNMAPPED_BASE);
}

/* Unmapped memory for device registers: the direct map itself (x86 has
 * no uncached window; QEMU's devices ignore the caching attributes). */
static inline void *phys_to_virt_uncached(paddr_t pa)
{
    return phys_to_virt(pa);
}

/* The linear address of a kernel virtual address (for lgdt, lidt, the TSS). */
static inline uint32_t virt_to_linear(const void *va)
{
    return (uint32_t)(uintptr_t)va + KERNEL_SEGMENT_BASE;
}

/* Copy one page (both page aligned; copy-on-write faults copy a page). */
static inline void arch_copy_page(void *dst, const void *src)
{
    arch_copy_words(dst, src, PAGE_SIZE / 4);
}

#endif
