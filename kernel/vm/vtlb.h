/* The VTLB contract (paper section 3.1, Figure 4): a pure cache of
 * virtual-to-physical translations in front of the address-space trees.
 * Any entry may be dropped at any time and nothing can be wired, so the
 * memory the VTLB uses is bounded by its implementation's size alone.
 *
 * Up-call from machine-dependent code:
 *   vtlb_miss(as, va, access, &m) looks va up in the tree (under the
 *   space's spinlock; non-preemptible, no allocation) and answers with one
 *   of: a translation to enter (VTLB_ENTER: the physical page, the
 *   protection to enter it with, and the range [m.va, m.va + m.size) over
 *   which va -> pa is linear, any part of which the VTLB may enter), a
 *   copy-on-write or auto-commit fault for as_resolve_fault to resolve in
 *   thread context, or an exception with its reason; or, for a mapping
 *   made with AS_MAP_NO_EXCEPTION whose source page is invalid, the
 *   scratch page (VTLB_SCRATCH: m.va, m.prot, m.reason say where, with
 *   what rights and why; the fault path enters it, paper 3.4.1).
 *
 * Calls from machine-independent code, which every tree change makes for
 * what it invalidates:
 *   vtlb_enter      cache a translation vtlb_miss produced, in the
 *                   translation-fault path only (on the interrupt stack:
 *                   MIPS points EntryHi at the new entry while it writes
 *                   the hardware TLB, so a mapped stack must not be used)
 *   vtlb_remove     forget every translation of [va, va + size) in as
 *   vtlb_flush      forget every translation of as
 *   vtlb_synchronize make the hardware TLB agree; remove and flush may
 *                   leave hardware entries until this is called
 *
 * Each VTLB implementation (arch/mips/vtlb.c, arch/x86/vtlb.c, and for
 * the host tests the reference cache behind test/doubles/vtlb.c) provides
 * the last four, vtlb_as_init/vtlb_as_fini, vtlb_activate, vtlb_get_stats,
 * vtlb_print_arch_stats, vtlb_set_bound and vtlb_tidy; vtlb_miss is
 * kernel/vm/fault.c. */
#ifndef KERNEL_VTLB_H
#define KERNEL_VTLB_H

#include <kernel/vm/vm.h>

enum vtlb_result {
    VTLB_ENTER,
    VTLB_COW_FAULT,
    VTLB_AUTOCOMMIT_FAULT,
    VTLB_EXCEPTION,
    VTLB_SCRATCH, /* a no-exception mapping's invalid source: the scratch page at m.va */
};

enum vm_exception {
    VMX_NONE,
    VMX_FREE,           /* no reservation at va */
    VMX_RESERVED,       /* reserved, not committed */
    VMX_PROTECTION,     /* the access is not allowed */
    VMX_SOURCE_INVALID, /* a mapping whose source page is not committed */
    VMX_GUARD,          /* a guard page (AS_PROT_GUARD): as_clear_guard clears it */
};

struct vtlb_mapping {
    enum vtlb_result kind;
    enum vm_exception reason; /* VTLB_EXCEPTION, VTLB_SCRATCH */
    vaddr_t va;               /* VTLB_ENTER: start of the linear range */
    paddr_t pa;               /* ... and the physical address of m.va */
    size_t size;              /* bytes in the range, a multiple of PAGE_SIZE */
    uint32_t prot;            /* AS_PROT_* to enter the translation with */
};

/* access: AS_PROT_READ, AS_PROT_WRITE or AS_PROT_EXECUTE. */
enum vtlb_result vtlb_miss(struct as *as, vaddr_t va, uint32_t access, struct vtlb_mapping *m);

void vtlb_enter(struct as *as, vaddr_t va, const struct vtlb_mapping *m);
void vtlb_remove(struct as *as, vaddr_t va, size_t size);
void vtlb_flush(struct as *as);
void vtlb_synchronize(void);

/* Called by as_init and as_destroy: give the space its tag, and drop all
 * of its entries for good. */
void vtlb_as_init(struct as *as);
void vtlb_as_fini(struct as *as);

const char *vm_exception_name(enum vm_exception x);

/* Make `as` the current user address space: the processor translates user
 * addresses through its entries from now on (x86: its page directory;
 * MIPS: its ASID). Kernel-space translations are shared by all spaces. */
void vtlb_activate(struct as *as);

/* What every VTLB counts, and what each implementation counts of its own
 * (struct arch_vtlb_stats, in <arch/vtlb.h>). */
struct vtlb_stats {
    uint64_t kernel_misses, user_misses; /* translation faults by space */
    unsigned bound;                      /* the configured bound: MIPS entries, x86 pool pages */
    size_t mapping_bytes;                /* memory held by mapping structures now */
    size_t mapping_bytes_max;            /* the most it can ever hold */
    struct arch_vtlb_stats arch;
};
void vtlb_get_stats(struct vtlb_stats *s);
/* Print the implementation's own counters (the console's `vm` command). */
void vtlb_print_arch_stats(const struct arch_vtlb_stats *s);

/* Lower the bound below the configured one (kernel command line vtlb=N,
 * for the benchmarks that chart misses against VTLB size): MIPS software
 * TLB entries, a power of two; x86 page-table pages. Drops every cached
 * translation. False if n is out of range. */
bool vtlb_set_bound(unsigned n);

/* Upkeep in thread context, preemptible, that the VTLB asked for with
 * vm_request_vtlb_tidy (<kernel/vm/trap.h>); the fault helper runs it.
 * MIPS takes ASID pairs back ahead of need, so that no switch has to;
 * x86 has none. */
void vtlb_tidy(void);

#endif
