/* Address spaces: the machine-independent, and only true, representation
 * of every address space (paper sections 2.1, 3.1, 3.2). An address space
 * is an AVL tree of regions; each region is a run of pages with one state,
 * protection and set of flags. The operations are IAddressSpace's
 * (idl/IAddressSpace.idl), whose constants this header uses.
 *
 * Arguments. Every operation checks its arguments before acting and gives
 * each kind of bad argument its own code (VM_E_*): an address or size not
 * page aligned, a zero size where one is needed, a range that wraps, a
 * range outside the address space, unknown flag bits, an invalid
 * protection, a NULL result pointer.
 *
 * Commit over pages that are already committed leaves them as they are:
 * contents, protection and flags.
 *
 * Failure semantics (paper 2.1). Reserve, Allocate and Query either
 * succeed or change nothing. Commit, Decommit, Protect and Deallocate are
 * NOT failure-atomic: they walk the range from its low end, and when they
 * fail (out of memory, or a semantic error met part way, such as a page
 * that is not reserved) the pages before the failure point may have been
 * acted on. The clean-up for any failed Commit is Deallocate of the
 * reservation, which always succeeds on a reserved range however it was
 * left: partially committed, auto-committed, mapped.
 *
 * Sections (paper 2.1). Reserve with AS_RESERVE_SECTION keeps the
 * reservation's boundaries: an operation on pages of a section must stay
 * inside it, Size 0 means "from Addr to the end of the section", and
 * Deallocate of a section must name its base (with Size 0 or its whole
 * size). Without the option no boundaries are kept: adjacent reservations
 * are one run of reserved pages, and any page-aligned part of it may be
 * committed or deallocated.
 *
 * Physical memory policy (paper 2.1). Committed memory is never given to
 * an address space with another's data in it:
 *   - Commit with AS_COMMIT_ALLOC_ZERO: every page reads as zero. A page
 *     is zero-filled when it is allocated (counted in pages_zero_filled).
 *   - Commit without it: pages are erased, not zeroed: their contents are
 *     unspecified but never another address space's data. A page whose
 *     previous owner committed it with AS_COMMIT_DEALLOC_NO_ERASE is handed
 *     out as it is (pages_unerased); any other page is erased by filling it
 *     with VM_ERASE_PATTERN (pages_erased).
 *   - AS_COMMIT_DEALLOC_NO_ERASE: when these pages are decommitted or
 *     deallocated they may reach another address space unerased (the
 *     loader uses it for code pages). Commits that do not ask for zeros
 *     take such pages first.
 *   - AS_COMMIT_AUTO: no page is allocated until the first access (an
 *     auto-commit fault), which then follows the rules above.
 * The paper's measure of the policy is the share of pages_unerased among
 * all three counters.
 *
 * Locking (paper 3.2.2). Each address space has a mutex, held across a
 * whole operation (which may allocate), and a spinlock, held only by the
 * short AS-mutation functions that insert, remove or change tree nodes,
 * and by the VTLB miss path, which therefore always sees a consistent
 * tree. The kernel address space's nodes come from their own heap, in
 * unmapped memory. */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <IAddressSpace.h>
#include <arch/vtlb.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/pmem.h>
#include <kernel/sync/lock.h>
#include <stdbool.h>
#include <stdint.h>

typedef uintptr_t vaddr_t;

/* The error codes (VM_E_*) and flag masks (AS_PROT_MASK, AS_COMMIT_MASK)
 * are IAddressSpace's, defined in idl/IAddressSpace.idl. */
_Static_assert(VM_E_NO_MEMORY == E_OUTOFMEMORY && VM_E_NULL_POINTER == E_POINTER &&
                   VM_E_NOT_IMPLEMENTED == E_NOTIMPL,
               "IAddressSpace's standard codes are COM's");

/* What erasure writes: not zero, so code that needs zeros must ask. */
#define VM_ERASE_PATTERN 0xa5

/* Largest run of pages one tree node tracks page by page; longer commits
 * use several nodes, so no allocation is ever bigger than a small object. */
#define VM_NODE_MAX_PAGES 256

/* Links a lookup follows down a chain of mappings (a mapping of a mapping
 * of ...); a longer chain, or a cycle, is an invalid source. */
#define VM_MAP_CHAIN_MAX 8

/* Pages a process's space leaves free (its keep_free): its Commit and
 * its faults fail (VM_E_NO_MEMORY, or its access violation) before it
 * takes the last MiB, which the kernel's own stacks and objects grow
 * into. Without it a process holding every page made the kernel's next
 * kernel-stack fault panic (test_fuzz, seed 17). */
#define VM_KERNEL_RESERVE 256

struct region;
struct section;

struct as {
    const char *name;
    vaddr_t lo, hi;           /* usable addresses: [lo, hi), page aligned */
    struct region *root;      /* the AVL tree, ordered by address */
    struct heap *heap;        /* where nodes and page arrays come from */
    struct mutex mutex;       /* whole operations */
    struct spinlock lock;     /* AS-mutation functions and the VTLB miss path */
    struct region *mappers;   /* regions of other spaces that map this one */
    uint32_t vtlb_tag;        /* the reference VTLB's name for this space */
    struct arch_vtlb_as vtlb; /* the arch VTLB's state for this space */
    size_t nregions;          /* tree nodes */
    size_t reserved_pages;    /* pages not free (reserved, committed or mapped) */
    size_t committed_pages;   /* committed pages, auto-commit ones included */
    size_t resident_pages;    /* physical pages held (committed, COW copies) */
    size_t keep_free;         /* pages its commits and faults leave free (VM_KERNEL_RESERVE) */
    /* kernel_as: its AS-mutation functions run on the interrupt stack (region.c) */
    bool mutate_on_interrupt_stack;
    /* kernel_as: Reserve(AS_RESERVE_UNMAPPED), and Deallocate of an address
     * outside [lo, hi), go here (kernel/vm/physmap.c); NULL elsewhere */
    const struct as_unmapped *unmapped;
};

struct as_unmapped {
    SCODE (*reserve)(size_t size, vaddr_t *addr);
    SCODE (*deallocate)(vaddr_t addr, size_t size);
};

/* Counters of the physical memory policy, for all address spaces. The
 * first three count pages handed out to a space, each once: a page that a
 * failed Commit gave back again was handed to nobody and is not counted. */
struct vm_page_stats {
    uint64_t pages_zero_filled; /* alloc-zero pages that were filled with zeros */
    uint64_t pages_erased;      /* pages erased before reuse */
    uint64_t pages_unerased;    /* pages reused unerased (dealloc-no-erase) */
    uint64_t pages_freed_noerase;
    uint64_t cow_copies;       /* copy-on-write faults resolved */
    uint64_t autocommit_pages; /* auto-commit faults resolved */
};

/* The current user space (made so by vm_activate, kernel/vmtrap.c); NULL
 * before the first activation and after it is destroyed. */
extern struct as *current_as;

/* Create an empty address space over [lo, hi) whose nodes come from heap. */
void as_init(struct as *as, const char *name, vaddr_t lo, vaddr_t hi, struct heap *heap);
/* Deallocate everything and drop every mapping of this space by others
 * (their accesses then raise exceptions). */
void as_destroy(struct as *as);

SCODE as_reserve(struct as *as, vaddr_t *addr, size_t size, uint32_t flags);
SCODE as_commit(struct as *as, vaddr_t addr, size_t size, uint32_t flags);
SCODE as_decommit(struct as *as, vaddr_t addr, size_t size);
SCODE as_protect(struct as *as, vaddr_t addr, size_t size, uint32_t prot);
SCODE as_deallocate(struct as *as, vaddr_t addr, size_t size);
/* Reserve and commit; on failure nothing stays reserved. */
SCODE as_allocate(struct as *as, vaddr_t *addr, size_t size, uint32_t flags);
SCODE as_query(struct as *as, vaddr_t addr, ADDR_REGION_INFO *info);
SCODE as_memory_status(struct as *as, MEMORY_STATUS *status);
SCODE as_reservation_info(struct as *as, size_t *reserve_granularity, size_t *map_granularity);

/* Map [src_addr, src_addr + size) of `src` at *addr in `as` (the engine
 * behind IAddressSpace::Map, which takes memory objects: object.h). The
 * destination must be reserved and free of commitments, or with
 * AS_ANYWHERE is reserved here. flags: protection, AS_MAP_COPY_ON_WRITE
 * (asymmetric: the mapper's writes are private, the source's stay visible
 * until the mapper writes), AS_MAP_NO_EXCEPTION (an access whose source
 * page is invalid gets the scratch page, paper 3.4.1, instead of an
 * exception). The mapping follows the source: what the source commits,
 * changes or frees later shows through it. The source may itself be a
 * mapping: a lookup follows the chain (VM_MAP_CHAIN_MAX links); a write
 * through it copies at the first copy-on-write link, and a no-exception
 * link anywhere above an invalid page gives the scratch page. */
SCODE as_map_range(struct as *as, vaddr_t *addr, size_t size, uint32_t flags, struct as *src,
                   vaddr_t src_addr);

/* Map the frames [phys, phys + size) at a free place of `as`, *addr, with
 * protection prot: a committed range whose frames Decommit and Deallocate
 * never free (MapPhysicalMemory, <kernel/vm/physmap.h>). */
SCODE as_map_physical(struct as *as, paddr_t phys, size_t size, uint32_t prot, vaddr_t *addr);

/* Resolve a copy-on-write or auto-commit fault that vtlb_miss reported for
 * (va, access): allocate the page, copy or fill it per the policy, update
 * the tree. Preemptible: takes the address space's mutex. Returns S_OK, or
 * an error if the fault turned out to be an exception after all (memory
 * ran out: E_OUTOFMEMORY). */
SCODE as_resolve_fault(struct as *as, vaddr_t va, int access);

/* The first access to a guard page (AS_PROT_GUARD, reported as VMX_GUARD):
 * clear the guard of va's page alone (splitting its region). S_OK if it
 * was cleared here, S_FALSE if va's page has no guard (any more: another
 * thread's access cleared it first), VM_E_NO_MEMORY if the split failed
 * (the guard stays). Takes the mutex. */
SCODE as_clear_guard(struct as *as, vaddr_t va);

void vm_get_page_stats(struct vm_page_stats *stats);

/* Fault injection for tests: the n-th allocation the VM makes from now on
 * (node, page array, section, physical page; 1 = the next one) fails.
 * 0 turns it off. Returns how many allocations were counted since the
 * last call: only while armed, and the failure disarms it, so at least n
 * (n, but for a racing thread's count) if the n-th came, fewer if not.
 * Safe with several threads allocating. */
unsigned long vm_fail_allocation(unsigned long n);
/* Allocations between vm_inject_pause(true) and (false) (they nest) are
 * neither counted nor failed, whichever thread makes them: for those
 * with no failure path (a kernel stack's fault, kernel/vm/trap.c). */
void vm_inject_pause(bool pause);

/* Check every structural invariant of the tree (ordering, AVL balance and
 * heights, no overlap, bounds, per-node consistency, the page counters);
 * panics with what is wrong. For tests and the debug console. Takes the
 * space's mutex: an operation moves the counters after the tree, under
 * the mutex but outside the spin lock, so a check holding only the lock
 * could find them apart (the kernel-call fuzzer's checks did). */
void as_check(struct as *as);

#endif
