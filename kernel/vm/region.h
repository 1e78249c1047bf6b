/* Internals of kernel/vm shared by its files: tree nodes (regions),
 * sections, the AVL tree, the AS-mutation functions and the physical page
 * policy. Nothing outside kernel/vm includes this. */
#ifndef KERNEL_VM_REGION_H
#define KERNEL_VM_REGION_H

#include <kernel/vm/vm.h>
#include <kernel/vm/vtlb.h>

enum region_state {
    R_RESERVED = 1,  /* set aside; no pages */
    R_COMMITTED = 2, /* the space's own pages (PADDR_NONE: auto-commit, untouched) */
    R_MAPPED = 3,    /* a view of src; pages[] holds private copy-on-write copies */
};

/* A committed region over physical memory that is not the allocator's
 * (MapPhysicalMemory): its pages[] name device registers or RAM someone
 * else owns, so Decommit and Deallocate drop the translations and never
 * free the frames. Kept in region.flags beside the AS_COMMIT_* flags,
 * which it never collides with (the IDL's flags stay below bit 24). */
#define VM_COMMIT_PHYSICAL 0x80000000u

struct section {
    vaddr_t base;
    size_t npages;
};

struct region {
    struct region *left, *right; /* AVL children, ordered by start */
    int8_t height;
    uint8_t state;
    uint8_t prot; /* AS_PROT_*; committed and mapped regions */
    uint8_t unused;
    uint32_t flags; /* AS_COMMIT_* (committed) or AS_MAP_* (mapped) */
    vaddr_t start;
    size_t npages;
    struct section *section; /* NULL outside sections */
    paddr_t *pages;          /* npages entries for committed and mapped regions */
    struct as *owner;
    struct as *src;               /* mapped: the source space, NULL once it is gone */
    vaddr_t src_start;            /* mapped: where start maps to in src */
    struct region *mnext, *mprev; /* mapped: in src->mappers */
};

static inline vaddr_t region_end(const struct region *r)
{
    return r->start + r->npages * PAGE_SIZE;
}

static inline size_t page_index(const struct region *r, vaddr_t va)
{
    return (va - r->start) / PAGE_SIZE;
}

/* tree.c: the AVL tree. Callers hold the spinlock for changes. */
void tree_insert(struct region **root, struct region *r);
void tree_remove(struct region **root, struct region *r);
struct region *tree_lookup(struct region *root, vaddr_t va); /* the region holding va */
struct region *tree_ceil(struct region *root, vaddr_t va);   /* first region ending after va */
struct region *tree_floor(struct region *root,
                          vaddr_t va); /* last region starting at or before va */
size_t tree_check(const struct region *root, vaddr_t lo, vaddr_t hi); /* panics; returns nodes */

/* region.c: nodes, arrays, splitting, the AS-mutation functions. */
struct region *region_new(struct as *as, vaddr_t start, size_t npages, enum region_state state,
                          bool with_pages);
void region_free(struct as *as, struct region *r); /* node and array; not the pages */
/* Split r at va (inside it): r keeps [start, va), the new node [va, end) is
 * inserted. Returns the new node, or NULL when out of memory. */
struct region *region_split(struct as *as, struct region *r, vaddr_t va);
/* Make va a region boundary if a region straddles it; false if out of memory. */
bool region_boundary(struct as *as, vaddr_t va);
void mut_insert(struct as *as, struct region *r);
void mut_remove(struct as *as, struct region *r);
void mut_replace(struct as *as, struct region *old, struct region *with); /* same range */
/* Turn r into a reserved region; returns its page array for the caller
 * to release once the VTLB forgot the pages. */
paddr_t *mut_make_reserved(struct as *as, struct region *r);
void mut_set_prot(struct as *as, struct region *r, uint32_t prot);
void mut_set_page(struct as *as, struct region *r, size_t i, paddr_t pa);
/* Make pa the private copy of mapping r at va if the chain below still
 * leads to `from`, the page it was copied from; false (nothing changed)
 * if the source changed while the copy ran. */
bool mut_set_copy(struct as *as, struct region *r, vaddr_t va, paddr_t pa, paddr_t from);
/* Merge r with its successor when both are reserved in the same section. */
void region_merge_reserved(struct as *as, struct region *r);
void mapper_link(struct region *r);
void mapper_unlink(struct region *r);
/* Remove cached translations of [start, end) in as and in every mapping of it
 * (chains included). */
void invalidate_range(struct as *as, vaddr_t start, vaddr_t end);
/* The same in the mappings only: after pages became valid, what a
 * no-exception mapping cached (the scratch page) must go. */
void invalidate_mappers(struct as *as, vaddr_t start, vaddr_t end);

/* page.c: the physical page policy and fault injection. */
bool vm_may_allocate(void); /* false when fault injection says this one fails */
/* What vm_page_alloc did to the pages it gave: the policy counters count
 * pages handed out, so a caller that may still give its pages back (a
 * Commit failing part way) tallies them and counts the tally
 * (vm_page_count) only once they are resident. */
struct vm_page_tally {
    size_t zero_filled, erased, unerased;
};
/* A page for as (leaving its keep_free pages free). */
paddr_t vm_page_alloc(const struct as *as, uint32_t commit_flags, struct vm_page_tally *tally);
void vm_page_count(const struct vm_page_tally *tally);
/* A page for as to overwrite whole (no erase needed). */
paddr_t vm_page_alloc_copy(const struct as *as);
/* Give a page back per its commit flags, or, while it is locked
 * (framelock.c), once the last lock is released. */
void vm_page_free(paddr_t pa, uint32_t commit_flags);
void vm_page_release(paddr_t pa, uint32_t commit_flags); /* now, locked or not */
void vm_count_cow(void);
void vm_count_autocommit(void);

/* ops.c: Deallocate with the mutex already held (as_destroy). */
SCODE vm_deallocate_locked(struct as *as, vaddr_t addr, size_t size);

/* fault.c */
/* Find what backs va (spinlock held): the region and its translation. */
void vm_lookup(struct as *as, vaddr_t va, uint32_t access, struct vtlb_mapping *m);

/* chain.c: mappings of mappings. Where a lookup through a mapping ended:
 * m as vtlb_miss reports it (one page), and for a fault the space and
 * address to resolve it in (the first copy-on-write link above the page
 * for a write, the source for an auto-commit page). */
struct chain_end {
    struct vtlb_mapping m;
    struct as *at;
    vaddr_t at_va;
    bool no_exception; /* some link had AS_MAP_NO_EXCEPTION */
};
/* Follow mapped region r of as (spinlock held) for va, whose page has no
 * private copy, down the chain; an invalid source under a no-exception
 * link is VTLB_SCRATCH. run: a translation may cover the run of pages
 * around va a first link shows linearly (for a miss to enter); else it
 * is va's page alone. */
void chain_lookup(struct as *as, const struct region *r, vaddr_t va, uint32_t access, bool run,
                  struct chain_end *e);
/* Remove what the mappings of [start, end) of as (spinlock held), and
 * theirs in turn, have cached. */
void chain_invalidate(struct as *as, vaddr_t start, vaddr_t end);
/* Mapping m of as (spinlock held) no longer shows as: remove what it and
 * the mappings of it cached. */
void chain_forget(struct as *as, const struct region *m);

#endif
