/* Shared fixture and helpers of the vm* suites: a fake physical memory,
 * a fresh page allocator and reference VTLB per test, and a simulated
 * processor that performs loads and stores through the VTLB, taking
 * misses and faults the way the arch code will. */
#ifndef TEST_VMTEST_H
#define TEST_VMTEST_H

#include <kernel/vm/vm.h>
#include <vtlb_soft.h>
#include <stdbool.h>

#define VMTEST_PHYS_SIZE (16u << 20) /* fake physical memory */
#define VMTEST_LO        0x10000u
#define VMTEST_HI        0x40000000u
#define P                PAGE_SIZE

/* Set up physical memory, the page allocator, the VTLB (512 entries,
 * 2-way) and heaps; vmtest_fini releases them. Use as the suite's
 * .init/.fini. */
void vmtest_init(void);
void vmtest_fini(void);

extern struct heap vmtest_heap;

/* A new address space over [VMTEST_LO, VMTEST_HI). */
void vmtest_as(struct as *as, const char *name);

/* What an access ended in. */
struct access {
    bool ok;                  /* it completed */
    enum vm_exception reason; /* otherwise why */
    SCODE fault_error;        /* as_resolve_fault's error, if that failed */
    paddr_t pa;
};

/* One access by the simulated processor: look in the VTLB; on a miss ask
 * vtlb_miss, enter the translation or resolve the fault, and retry. */
struct access vm_access(struct as *as, vaddr_t va, uint32_t access);

/* Load and store a byte through vm_access; the test fails on an exception. */
uint8_t vm_read8(struct as *as, vaddr_t va);
void vm_write8(struct as *as, vaddr_t va, uint8_t v);

/* Every valid VTLB entry of `as` agrees with the tree: vtlb_miss for its
 * page gives the same frame and at least its rights. Fails the test. */
void vm_check_vtlb(struct as *as);

/* Physical pages not holding address-space contents: the free ones plus
 * the ones the test heap has for nodes and page arrays. */
size_t vm_free_pages(void);

#endif
