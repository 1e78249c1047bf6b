/* MIPS memory layout constants and the unmapped-memory translation.
 * Unmapped memory is kseg0 (0x80000000-0x9fffffff, cached), which the
 * processor translates to physical by clearing the top three bits. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>

typedef uint32_t paddr_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u

#define UNMAPPED_BASE 0x80000000u /* kseg0 */
#define UNMAPPED_SIZE 0x20000000u /* 512 MiB reachable through kseg0 */
#define UNCACHED_BASE 0xa0000000u /* kseg1, for device registers */
/* The kernel address space's mapped range: kseg2 and kseg3, less the
 * last page (so the end fits in 32 bits). */
#define KERNEL_MAPPED_BASE 0xc0000000u
#define KERNEL_MAPPED_END  0xfffff000u
#define USER_BASE          0x00010000u /* user address spaces: kuseg from 64 KiB */
#define USER_END           0x80000000u
/* Kernel mode reaches kuseg directly, through the current ASID's entries. */
#define USER_KERNEL_BIAS 0u
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

#endif
