/* MIPS memory layout constants and the unmapped-memory translation.
 * Unmapped memory is kseg0 (0x80000000-0x9fffffff, cached), which the
 * processor translates to physical by clearing the top three bits. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>

#include <arch/copy.h>

typedef uint32_t paddr_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u

#define UNMAPPED_BASE 0x80000000u /* kseg0 */
#define UNMAPPED_SIZE 0x20000000u /* 512 MiB reachable through kseg0 */
#define UNCACHED_BASE 0xa0000000u /* kseg1, for device registers */
/* The paper's user/kernel bias (3.3) with paired ASIDs, the same kernel
 * virtual map as x86 (docs/ARCHITECTURE.md, MIPS memory map): in kernel
 * mode, under the kernel ASID of the active space's pair, [0, 1 GiB) is
 * the user's [1 GiB, 2 GiB), [1 GiB, 2 GiB) is kernel_as (the overlap
 * region: the kernel's own pages at the user's addresses), and kseg2/3
 * [3 GiB, 4 GiB) is the user's [0, 1 GiB). In user mode, under the
 * pair's user ASID, kuseg is the user's own space at the same address. */
#define KERNEL_MAPPED_BASE 0x40000000u
#define KERNEL_MAPPED_END  0x80000000u
#define USER_BASE          0x00010000u /* user address spaces: kuseg from 64 KiB */
#define USER_END           0x80000000u
/* The kernel reaches user u at u + 3 GiB (mod 4 GiB). */
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

/* Unmapped, uncached memory for device registers: kseg1. */
static inline void *phys_to_virt_uncached(paddr_t pa)
{
    return (void *)(uintptr_t)(pa + UNCACHED_BASE);
}

/* Copy one page (both page aligned; copy-on-write faults copy a page). */
static inline void arch_copy_page(void *dst, const void *src)
{
    arch_copy_words(dst, src, PAGE_SIZE / 4);
}

#endif
