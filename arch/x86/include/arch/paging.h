/* x86 two-level paging as the VTLB uses it (arch/x86/ptpool.c and
 * vtlb.c; docs/VTLB-x86.md). Every directory has the same layout:
 *   PDEs [0, 512)    linear 0-2 GiB: the current user space, its own
 *   PDEs [512, 768)  linear 2-3 GiB: the kernel's mapped space, shared
 *   PDEs [768, 1024) linear 3-4 GiB: the direct map of physical memory,
 *                    4 MiB pages set at boot, shared and never recycled
 * Page tables and directories are pages of one bounded pool, allocated
 * from the page allocator once, at boot. */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/vm/vm.h>
#include <stdbool.h>
#include <stdint.h>

#define PTE_P    0x001u /* present */
#define PTE_W    0x002u /* writable */
#define PTE_U    0x004u /* user */
#define PTE_A    0x020u /* accessed: set by the processor's page walk */
#define PTE_ADDR 0xfffff000u

#define PD_ENTRIES     1024
#define PDI_USER_END   512       /* first PDE of the kernel's mapped space */
#define PDI_KERNEL_END 768       /* first PDE of the direct map */
#define PT_SPAN        0x400000u /* bytes one page table maps */
#define VTLB_MIN_PAGES 8         /* the least pool ./configure and vtlb=N allow */

#define PD_INDEX(lin) ((uint32_t)(lin) >> 22)
#define PT_INDEX(lin) (((uint32_t)(lin) >> 12) & 0x3ffu)

enum pt_use { PT_FREE, PT_USER, PT_KERNEL, PT_DIR };

/* One page of the pool and what it is now. Every page is on one list,
 * which its use names: the free pages, the directories, the kernel's
 * tables, or its owner's tables. */
struct x86_pt_page {
    paddr_t pa;
    uint8_t use;                     /* enum pt_use */
    bool referenced;                 /* PT_DIR: used since the clock hand last passed */
    uint16_t pdi;                    /* PT_USER, PT_KERNEL: the directory slot it fills */
    unsigned dir_gen;                /* PT_USER: its owner's dir_gen when it was installed */
    struct as *owner;                /* PT_USER, PT_DIR: the space */
    uint16_t dirty_lo, dirty_hi;     /* entries [lo, hi) may be non-zero */
    struct x86_pt_page *prev, *next; /* on its list */
};

/* The space whose directory is in CR3 (NULL: the boot directory). */
extern struct as *x86_active_as;

static inline uint32_t *pt_page_map(paddr_t pa)
{
    return phys_to_virt(pa);
}

/* The boot directory (arch/x86/boot.S): in use whenever no user space is,
 * and the master copy of the shared kernel half. */
uint32_t *boot_dir(void);
paddr_t boot_dir_pa(void);

/* Both are privileged: the VTLB calls them from threads (ring 1), which
 * reach ring 0 through PRIV_VECTOR, and from the page-fault path (ring 0),
 * which runs them directly. */
static inline void load_cr3(paddr_t pa)
{
    if (x86_cpl() == 0)
        __asm__ volatile("movl %0, %%cr3" ::"r"(pa) : "memory");
    else
        x86_priv(PRIV_LOAD_CR3, pa);
}

/* invlpg takes a segment-relative operand, and the kernel's data segments
 * have base 1 GiB: name linear `lin` through the kernel virtual below it. */
static inline void invlpg_linear(uint32_t lin)
{
    if (x86_cpl() == 0)
        __asm__ volatile("invlpg (%0)" ::"r"(lin - KERNEL_SEGMENT_BASE) : "memory");
    else
        x86_priv(PRIV_INVLPG, lin - KERNEL_SEGMENT_BASE);
}

/* vtlb.c: make the pool (from arch_trap_init); count a translation fault
 * (from the page-fault handler, fault.c). */
void x86_vtlb_init(void);
void x86_vtlb_count_miss(bool kernel);

/* For tests: the directory and page-table entries for va in as (0 when
 * there is none). */
uint32_t x86_vtlb_pde(const struct as *as, vaddr_t va);
uint32_t x86_vtlb_pte(const struct as *as, vaddr_t va);

/* ptpool.c */
void ptpool_init(void);
/* A page for a new table or directory of owner (NULL: a kernel table),
 * all entries zero; recycles one when none is free, never `pinned` or the
 * active directory. A table's caller fills in pdi. Interrupts off. */
struct x86_pt_page *ptpool_take(const struct x86_pt_page *pinned, enum pt_use use,
                                struct as *owner);
/* Entries [lo, hi) of pool page `page` were written (may be non-zero). */
void ptpool_mark(paddr_t page, unsigned lo, unsigned hi);
/* Unhook a table or directory from everything that points at it and free
 * it. A directory's tables stay on its space's list, unreachable (their
 * dir_gen is old), for the clock or the next flush to free. */
void ptpool_drop(struct x86_pt_page *p);
/* Set kernel PDE pdi in the boot directory and every space's. */
void ptpool_set_kernel_pde(unsigned pdi, uint32_t pde);
/* Drop up to max of the oldest tables of as (NULL: the kernel's); the
 * number dropped. */
unsigned ptpool_drop_tables(struct as *as, unsigned max);
/* How many tables as (NULL: the kernel) has. */
unsigned ptpool_tables(const struct as *as);
/* Use only the first n pages (VTLB_MIN_PAGES..CONFIG_VTLB_PAGES) from now
 * on, dropping everything: only while no user space is active. */
void ptpool_resize(unsigned n);
/* Forget every translation the processor holds for the active space. */
void ptpool_flush_tlb(void);
unsigned ptpool_size(void);
unsigned ptpool_in_use(void);
uint64_t ptpool_recycles(void);

#endif
