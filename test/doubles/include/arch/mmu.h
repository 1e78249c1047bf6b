/* Host double of <arch/mmu.h> for the unit tests: "physical memory" is a
 * buffer the test allocates (host_phys_mem); physical address p is byte p
 * of it. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>

typedef uintptr_t paddr_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u

extern unsigned char *host_phys_mem;

static inline void *phys_to_virt(paddr_t pa)
{
    return host_phys_mem + pa;
}

static inline paddr_t virt_to_phys(const void *va)
{
    return (paddr_t)((const unsigned char *)va - host_phys_mem);
}

/* Run during every page copy, when a test sets it: what another thread
 * could do while a copy-on-write copy is preempted. */
extern void (*host_copy_page_hook)(void);

static inline void arch_copy_page(void *dst, const void *src)
{
    __builtin_memcpy(dst, src, PAGE_SIZE);
    if (host_copy_page_hook)
        host_copy_page_hook();
}

#endif
