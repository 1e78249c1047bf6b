/* The IAddressSpace operations that change an address space: Reserve,
 * Commit, Decommit, Protect, Deallocate, Allocate, and the mapping engine
 * behind Map. The semantics, failure rules and policy are in
 * <kernel/vm/vm.h>. Each operation checks its arguments, takes the mutex,
 * checks the range's state, makes region boundaries at the range's ends,
 * and then acts node by node through the AS-mutation functions. */
#include "region.h"

/* A protection: writable only if readable; a guard page (AS_PROT_GUARD)
 * only with some access. */
static SCODE check_prot(uint32_t prot)
{
    if ((prot & AS_PROT_GUARD) && !(prot & AS_PROT_MASK))
        return VM_E_BAD_PROT;
    return (prot & AS_PROT_WRITE) && !(prot & AS_PROT_READ) ? VM_E_BAD_PROT : S_OK;
}

/* Alignment, wrap and bounds of [addr, addr + size); size already nonzero. */
static SCODE check_range(const struct as *as, vaddr_t addr, size_t size)
{
    if (addr % PAGE_SIZE)
        return VM_E_UNALIGNED_ADDRESS;
    if (size % PAGE_SIZE)
        return VM_E_UNALIGNED_SIZE;
    if (size == 0)
        return VM_E_ZERO_SIZE;
    if (addr + size < addr)
        return VM_E_WRAP;
    if (addr < as->lo || addr + size > as->hi)
        return VM_E_OUT_OF_RANGE;
    return S_OK;
}

/* What a range holds, found before anything is changed. */
struct scan {
    bool free, reserved, committed, mapped;
    bool crosses_section; /* some page belongs to another section (or none) */
};

static struct scan scan_range(const struct as *as, vaddr_t addr, vaddr_t end,
                              const struct section *sec)
{
    struct scan s = {0};
    vaddr_t at = addr;
    for (const struct region *r = tree_ceil(as->root, addr); r && r->start < end;
         r = tree_ceil(as->root, region_end(r))) {
        s.free |= r->start > at;
        s.reserved |= r->state == R_RESERVED;
        s.committed |= r->state == R_COMMITTED;
        s.mapped |= r->state == R_MAPPED;
        s.crosses_section |= r->section != sec;
        at = region_end(r);
    }
    s.free |= at < end;
    return s;
}

/* Size 0 means "to the end of the section" (sections only); then the
 * usual checks, and a range that starts in a section must end in it. */
static SCODE resolve_range(const struct as *as, vaddr_t addr, size_t *size,
                           const struct section **sec)
{
    if (addr % PAGE_SIZE)
        return VM_E_UNALIGNED_ADDRESS;
    const struct region *r = tree_lookup(as->root, addr);
    *sec = r ? r->section : 0;
    if (*size == 0 && *sec)
        *size = (*sec)->base + (*sec)->npages * PAGE_SIZE - addr;
    SCODE sc = check_range(as, addr, *size);
    if (sc == S_OK && *sec && addr + *size > (*sec)->base + (*sec)->npages * PAGE_SIZE)
        sc = VM_E_SECTION_BOUNDARY;
    return sc;
}

/* What every operation on reserved pages checks before it changes
 * anything: the range resolved and checked (resolve_range), no free page
 * in it, and no page of another section. *s tells the caller what else
 * the range holds. */
static SCODE check_reserved_range(const struct as *as, vaddr_t addr, size_t *size, struct scan *s)
{
    const struct section *sec;
    SCODE sc = resolve_range(as, addr, size, &sec);
    if (sc != S_OK)
        return sc;
    *s = scan_range(as, addr, addr + *size, sec);
    if (s->free)
        return VM_E_NOT_RESERVED;
    if (s->crosses_section)
        return VM_E_SECTION_BOUNDARY;
    return S_OK;
}

static bool make_boundaries(struct as *as, vaddr_t addr, vaddr_t end)
{
    return region_boundary(as, addr) && region_boundary(as, end);
}

static void merge_reserved_run(struct as *as, vaddr_t addr, vaddr_t end)
{
    struct region *r = tree_floor(as->root, addr ? addr - 1 : 0);
    if (!r || region_end(r) != addr)
        r = tree_lookup(as->root, addr);
    while (r && r->start <= end) {
        struct region *next = tree_ceil(as->root, region_end(r));
        size_t before = r->npages;
        region_merge_reserved(as, r);
        if (r->npages == before)
            r = next;
    }
}

/* Find the lowest free run of size bytes (first fit). */
static vaddr_t find_free(const struct as *as, size_t size)
{
    vaddr_t at = as->lo;
    for (const struct region *r = tree_ceil(as->root, as->lo); r;
         r = tree_ceil(as->root, region_end(r))) {
        if (r->start - at >= size)
            return at;
        at = region_end(r);
    }
    return as->hi - at >= size ? at : 0;
}

static SCODE reserve_locked(struct as *as, vaddr_t *addr, size_t size, uint32_t flags)
{
    vaddr_t base = *addr;
    if (flags & AS_ANYWHERE) {
        if (size % PAGE_SIZE)
            return VM_E_UNALIGNED_SIZE;
        if (size == 0)
            return VM_E_ZERO_SIZE;
        base = find_free(as, size);
        if (!base)
            return VM_E_NO_ADDRESS_SPACE;
    }
    SCODE sc = check_range(as, base, size);
    if (sc != S_OK)
        return sc;
    const struct region *next = tree_ceil(as->root, base);
    if (next && next->start < base + size)
        return VM_E_IN_USE;
    struct region *r = region_new(as, base, size / PAGE_SIZE, R_RESERVED, false);
    if (!r)
        return VM_E_NO_MEMORY;
    if (flags & AS_RESERVE_SECTION) {
        r->section = vm_may_allocate() ? heap_alloc(as->heap, sizeof *r->section) : 0;
        if (!r->section) {
            region_free(as, r);
            return VM_E_NO_MEMORY;
        }
        *r->section = (struct section){base, r->npages};
    }
    mut_insert(as, r);
    as->reserved_pages += r->npages;
    if (!r->section)
        merge_reserved_run(as, base, base + size);
    *addr = base;
    return S_OK;
}

SCODE as_reserve(struct as *as, vaddr_t *addr, size_t size, uint32_t flags)
{
    if (!addr)
        return VM_E_NULL_POINTER;
    if (flags == AS_RESERVE_UNMAPPED && as->unmapped)
        return as->unmapped->reserve(size, addr);
    if (flags & ~(uint32_t)(AS_RESERVE_SECTION | AS_ANYWHERE))
        return VM_E_BAD_FLAGS;
    vaddr_t base = *addr;   /* a caller's pointer (a process's, through the bias) is read */
    mutex_lock(&as->mutex); /* and written outside the lock: its fault may need the lock */
    SCODE sc = reserve_locked(as, &base, size, flags);
    mutex_unlock(&as->mutex);
    if (sc == S_OK)
        *addr = base;
    return sc;
}

/* Turn the reserved region r (wholly inside the range being committed or
 * mapped) into committed or mapped regions of at most VM_NODE_MAX_PAGES
 * pages, allocating pages unless auto-commit or mapped. A failure leaves
 * the part not yet converted reserved. */
static SCODE convert_reserved(struct as *as, struct region *r, enum region_state state,
                              uint32_t prot, uint32_t flags, struct as *src, vaddr_t src_start)
{
    while (r) {
        struct region *rest = 0;
        if (r->npages > VM_NODE_MAX_PAGES &&
            !(rest = region_split(as, r, r->start + VM_NODE_MAX_PAGES * PAGE_SIZE)))
            return VM_E_NO_MEMORY;
        struct region *c = region_new(as, r->start, r->npages, state, true);
        if (!c)
            return VM_E_NO_MEMORY;
        c->prot = (uint8_t)prot;
        c->flags = flags;
        c->section = r->section;
        size_t resident = 0;
        struct vm_page_tally tally = {0};
        if (flags & VM_COMMIT_PHYSICAL) { /* src_start is the first frame */
            for (; resident < c->npages; resident++)
                c->pages[resident] = src_start + resident * PAGE_SIZE;
            src_start += c->npages * PAGE_SIZE;
        } else if (state == R_COMMITTED && !(flags & AS_COMMIT_AUTO)) {
            for (; resident < c->npages; resident++) {
                if ((c->pages[resident] = vm_page_alloc(as, flags, &tally)) == PADDR_NONE)
                    break;
            }
            if (resident < c->npages) { /* given back: handed to nobody, so not counted */
                while (resident--)
                    vm_page_free(c->pages[resident], 0);
                region_free(as, c);
                return VM_E_NO_MEMORY;
            }
        }
        vm_page_count(&tally);
        if (state == R_MAPPED) {
            c->src = src;
            c->src_start = src_start;
            src_start += c->npages * PAGE_SIZE;
            mapper_link(c);
        }
        mut_replace(as, r, c);
        region_free(as, r);
        if (state == R_COMMITTED)
            as->committed_pages += c->npages;
        as->resident_pages += resident;
        r = rest;
    }
    return S_OK;
}

static SCODE commit_locked(struct as *as, vaddr_t addr, size_t size, uint32_t flags)
{
    struct scan s;
    SCODE sc = check_reserved_range(as, addr, &size, &s);
    if (sc != S_OK)
        return sc;
    vaddr_t end = addr + size;
    if (s.mapped)
        return VM_E_IN_USE;
    if (!make_boundaries(as, addr, end))
        return VM_E_NO_MEMORY;
    uint32_t prot = flags & (AS_PROT_MASK | AS_PROT_GUARD), commit = flags & AS_COMMIT_MASK;
    for (vaddr_t at = addr; sc == S_OK && at < end;) {
        struct region *r = tree_lookup(as->root, at);
        at = region_end(r);
        if (r->state == R_RESERVED)
            sc = convert_reserved(as, r, R_COMMITTED, prot, commit, 0, 0);
    }
    invalidate_mappers(as, addr, end); /* no-exception mappings showed the scratch page */
    return sc;
}

SCODE as_commit(struct as *as, vaddr_t addr, size_t size, uint32_t flags)
{
    if (flags & ~(uint32_t)(AS_PROT_MASK | AS_PROT_GUARD | AS_COMMIT_MASK))
        return VM_E_BAD_FLAGS;
    SCODE sc = check_prot(flags & (AS_PROT_MASK | AS_PROT_GUARD));
    if (sc != S_OK)
        return sc;
    mutex_lock(&as->mutex);
    sc = commit_locked(as, addr, size, flags);
    mutex_unlock(&as->mutex);
    return sc;
}

/* Release the pages of a region that was just removed from view. */
static void release_pages(struct as *as, paddr_t *pages, size_t npages, uint32_t flags,
                          bool committed)
{
    for (size_t i = 0; i < npages; i++) {
        if (pages[i] != PADDR_NONE) {
            if (!(flags & VM_COMMIT_PHYSICAL)) /* not the allocator's frame */
                vm_page_free(pages[i], committed ? flags : 0);
            as->resident_pages--;
        }
    }
    heap_free(as->heap, pages);
}

/* Make the committed or mapped region r reserved again. */
static void decommit_region(struct as *as, struct region *r)
{
    bool committed = r->state == R_COMMITTED;
    uint32_t flags = r->flags;
    if (r->state == R_MAPPED) {
        mapper_unlink(r);
        r->src = 0;
    }
    paddr_t *pages = mut_make_reserved(as, r);
    invalidate_range(as, r->start, region_end(r));
    if (committed)
        as->committed_pages -= r->npages;
    release_pages(as, pages, r->npages, flags, committed);
}

static SCODE decommit_locked(struct as *as, vaddr_t addr, size_t size)
{
    struct scan s;
    SCODE sc = check_reserved_range(as, addr, &size, &s);
    if (sc != S_OK)
        return sc;
    vaddr_t end = addr + size;
    if (!make_boundaries(as, addr, end))
        return VM_E_NO_MEMORY;
    for (vaddr_t at = addr; at < end;) {
        struct region *r = tree_lookup(as->root, at);
        at = region_end(r);
        if (r->state != R_RESERVED)
            decommit_region(as, r);
    }
    merge_reserved_run(as, addr, end);
    return S_OK;
}

SCODE as_decommit(struct as *as, vaddr_t addr, size_t size)
{
    mutex_lock(&as->mutex);
    SCODE sc = decommit_locked(as, addr, size);
    mutex_unlock(&as->mutex);
    return sc;
}

static SCODE protect_locked(struct as *as, vaddr_t addr, size_t size, uint32_t prot)
{
    struct scan s;
    SCODE sc = check_reserved_range(as, addr, &size, &s);
    if (sc != S_OK)
        return sc;
    vaddr_t end = addr + size;
    if (s.reserved)
        return VM_E_NOT_COMMITTED;
    if (!make_boundaries(as, addr, end))
        return VM_E_NO_MEMORY;
    for (vaddr_t at = addr; at < end;) {
        struct region *r = tree_lookup(as->root, at);
        at = region_end(r);
        mut_set_prot(as, r, prot);
    }
    invalidate_range(as, addr, end);
    return S_OK;
}

SCODE as_protect(struct as *as, vaddr_t addr, size_t size, uint32_t prot)
{
    if (prot & ~(uint32_t)(AS_PROT_MASK | AS_PROT_GUARD))
        return VM_E_BAD_FLAGS;
    SCODE sc = check_prot(prot);
    if (sc != S_OK)
        return sc;
    mutex_lock(&as->mutex);
    sc = protect_locked(as, addr, size, prot);
    mutex_unlock(&as->mutex);
    return sc;
}

/* Remove region r from the space altogether. */
static void free_region(struct as *as, struct region *r)
{
    if (r->state != R_RESERVED)
        decommit_region(as, r);
    mut_remove(as, r);
    as->reserved_pages -= r->npages;
    region_free(as, r);
}

SCODE vm_deallocate_locked(struct as *as, vaddr_t addr, size_t size)
{
    if (addr % PAGE_SIZE)
        return VM_E_UNALIGNED_ADDRESS;
    const struct region *first = tree_lookup(as->root, addr);
    struct section *sec = first ? first->section : 0;
    if (sec) {
        if (addr != sec->base)
            return VM_E_NOT_SECTION_BASE;
        if (size != 0 && size != sec->npages * PAGE_SIZE)
            return VM_E_SECTION_BOUNDARY;
        size = sec->npages * PAGE_SIZE;
    }
    SCODE sc = check_range(as, addr, size);
    if (sc != S_OK)
        return sc;
    vaddr_t end = addr + size;
    struct scan s = scan_range(as, addr, end, sec);
    if (s.free)
        return VM_E_NOT_RESERVED;
    if (s.crosses_section)
        return VM_E_SECTION_BOUNDARY;
    if (!sec && !make_boundaries(as, addr, end))
        return VM_E_NO_MEMORY;
    for (vaddr_t at = addr; at < end;) {
        struct region *r = tree_lookup(as->root, at);
        at = region_end(r);
        free_region(as, r);
    }
    if (sec)
        heap_free(as->heap, sec);
    return S_OK;
}

SCODE as_deallocate(struct as *as, vaddr_t addr, size_t size)
{
    if (as->unmapped && (addr < as->lo || addr >= as->hi))
        return as->unmapped->deallocate(addr, size);
    mutex_lock(&as->mutex);
    SCODE sc = vm_deallocate_locked(as, addr, size);
    mutex_unlock(&as->mutex);
    return sc;
}

SCODE as_allocate(struct as *as, vaddr_t *addr, size_t size, uint32_t flags)
{
    const uint32_t reserve_flags = AS_RESERVE_SECTION | AS_ANYWHERE;
    if (!addr)
        return VM_E_NULL_POINTER;
    if (flags & ~(uint32_t)(AS_PROT_MASK | AS_PROT_GUARD | AS_COMMIT_MASK | reserve_flags))
        return VM_E_BAD_FLAGS;
    SCODE sc = check_prot(flags & (AS_PROT_MASK | AS_PROT_GUARD));
    if (sc != S_OK)
        return sc;
    vaddr_t base = *addr; /* outside the lock: see as_reserve */
    mutex_lock(&as->mutex);
    sc = reserve_locked(as, &base, size, flags & reserve_flags);
    if (sc == S_OK) {
        sc = commit_locked(as, base, size, flags & ~reserve_flags);
        if (sc != S_OK && vm_deallocate_locked(as, base, size) != S_OK)
            panic("vm: Allocate could not undo its reservation");
    }
    mutex_unlock(&as->mutex);
    if (sc == S_OK)
        *addr = base;
    return sc;
}

static SCODE map_locked(struct as *as, vaddr_t *addr, size_t size, uint32_t flags, struct as *src,
                        vaddr_t src_addr)
{
    vaddr_t base = *addr;
    SCODE sc;
    bool reserved_here = false;
    if (flags & AS_ANYWHERE) {
        if ((sc = reserve_locked(as, &base, size, AS_ANYWHERE)) != S_OK)
            return sc;
        reserved_here = true;
    }
    struct scan s;
    if ((sc = check_reserved_range(as, base, &size, &s)) != S_OK)
        return sc;
    vaddr_t end = base + size;
    if (s.committed || s.mapped)
        return VM_E_IN_USE;
    if (!make_boundaries(as, base, end))
        sc = VM_E_NO_MEMORY;
    for (vaddr_t at = base; sc == S_OK && at < end;) {
        struct region *r = tree_lookup(as->root, at);
        at = region_end(r);
        sc = convert_reserved(as, r, R_MAPPED, flags & AS_PROT_MASK,
                              flags & (AS_MAP_COPY_ON_WRITE | AS_MAP_NO_EXCEPTION), src,
                              src_addr + (r->start - base));
    }
    invalidate_mappers(as, base, end); /* mappings of this range now see through it */
    if (sc != S_OK && reserved_here)
        vm_deallocate_locked(as, base, size);
    if (sc == S_OK)
        *addr = base;
    return sc;
}

SCODE as_map_range(struct as *as, vaddr_t *addr, size_t size, uint32_t flags, struct as *src,
                   vaddr_t src_addr)
{
    if (!addr)
        return VM_E_NULL_POINTER;
    if (flags &
        ~(uint32_t)(AS_PROT_MASK | AS_MAP_COPY_ON_WRITE | AS_MAP_NO_EXCEPTION | AS_ANYWHERE))
        return VM_E_BAD_FLAGS;
    SCODE sc = check_prot(flags & AS_PROT_MASK);
    if (sc != S_OK)
        return sc;
    if (!src || src == as || src_addr % PAGE_SIZE || size == 0 || src_addr + size < src_addr ||
        src_addr < src->lo || src_addr + size > src->hi)
        return VM_E_BAD_SOURCE;
    vaddr_t base = *addr; /* outside the lock: see as_reserve */
    mutex_lock(&as->mutex);
    sc = map_locked(as, &base, size, flags, src, src_addr);
    mutex_unlock(&as->mutex);
    if (sc == S_OK)
        *addr = base;
    return sc;
}

/* A committed range of kernel_as over frames that are not the
 * allocator's (MapPhysicalMemory, <kernel/vm/physmap.h>): reserved
 * anywhere, then converted with the frames as its pages. */
SCODE as_map_physical(struct as *as, paddr_t phys, size_t size, uint32_t prot, vaddr_t *addr)
{
    if (phys % PAGE_SIZE)
        return VM_E_UNALIGNED_ADDRESS;
    if (prot & ~(uint32_t)AS_PROT_MASK)
        return VM_E_BAD_FLAGS;
    SCODE sc = check_prot(prot);
    if (sc != S_OK)
        return sc;
    mutex_lock(&as->mutex);
    vaddr_t base = 0;
    sc = reserve_locked(as, &base, size, AS_ANYWHERE);
    if (sc == S_OK && !make_boundaries(as, base, base + size))
        sc = VM_E_NO_MEMORY;
    if (sc == S_OK)
        sc = convert_reserved(as, tree_lookup(as->root, base), R_COMMITTED, prot,
                              VM_COMMIT_PHYSICAL, 0, phys);
    if (sc != S_OK && base)
        vm_deallocate_locked(as, base, size);
    if (sc == S_OK)
        *addr = base;
    mutex_unlock(&as->mutex);
    return sc;
}
