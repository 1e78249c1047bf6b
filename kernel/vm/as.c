/* Address spaces as a whole: creation and destruction, the read-only
 * IAddressSpace operations (Query, GetMemoryStatus,
 * ReservationInformation), and the invariant check the tests lean on. */
#include "region.h"

struct as *current_as;

void as_init(struct as *as, const char *name, vaddr_t lo, vaddr_t hi, struct heap *heap)
{
    assert(lo % PAGE_SIZE == 0 && hi % PAGE_SIZE == 0 && lo > 0 && lo < hi);
    *as = (struct as){.name = name, .lo = lo, .hi = hi, .heap = heap};
    as->mutex = (struct mutex)MUTEX_INIT(name);
    as->lock = (struct spinlock)SPINLOCK_INIT(name, NP_AS_MUTATION);
    vtlb_as_init(as);
}

void as_destroy(struct as *as)
{
    mutex_lock(&as->mutex);
    spin_lock(&as->lock);
    for (struct region *m = as->mappers; m;) { /* their accesses now fault */
        struct region *next = m->mnext;
        spin_lock(&m->owner->lock);
        m->src = 0;
        m->mnext = m->mprev = 0;
        spin_unlock(&m->owner->lock);
        chain_forget(as, m);
        m = next;
    }
    as->mappers = 0;
    spin_unlock(&as->lock);
    while (as->root) {
        struct region *r = as->root;
        struct section *sec = r->section;
        vaddr_t start = sec ? sec->base : r->start;
        size_t size = sec ? 0 : r->npages * PAGE_SIZE;
        if (vm_deallocate_locked(as, start, size) != S_OK)
            panic("vm: destroying %s: cannot deallocate %#lx", as->name, (unsigned long)start);
    }
    mutex_unlock(&as->mutex);
    if (current_as == as) /* the VTLB switches away from it below */
        current_as = 0;
    vtlb_as_fini(as);
}

/* The region info of one node, as Query reports it. */
static void describe(const struct region *r, uint32_t *state, uint32_t *prot, uint32_t *type)
{
    *state = !r ? AS_STATE_FREE : r->state == R_RESERVED ? AS_STATE_RESERVED : AS_STATE_COMMITTED;
    *prot = r && r->state != R_RESERVED ? r->prot : AS_PROT_NONE;
    *type = !r ? AS_TYPE_NONE : r->state == R_MAPPED ? AS_TYPE_MAPPED : AS_TYPE_PRIVATE;
}

/* Where the reservation holding r starts: its section's base, or the
 * first page of the run of non-free pages (page-oriented memory keeps no
 * other boundary). */
static vaddr_t reservation_base(const struct as *as, const struct region *r)
{
    if (r->section)
        return r->section->base;
    const struct region *prev;
    while (r->start > as->lo && (prev = tree_lookup(as->root, r->start - 1)) && !prev->section)
        r = prev;
    return r->start;
}

SCODE as_query(struct as *as, vaddr_t addr, ADDR_REGION_INFO *info)
{
    if (!info)
        return VM_E_NULL_POINTER;
    if (addr < as->lo || addr >= as->hi)
        return VM_E_OUT_OF_RANGE;
    mutex_lock(&as->mutex);
    vaddr_t base = addr & ~(vaddr_t)(PAGE_SIZE - 1);
    const struct region *r = tree_lookup(as->root, base);
    uint32_t state, prot, type;
    describe(r, &state, &prot, &type);
    vaddr_t end;
    if (!r) {
        const struct region *next = tree_ceil(as->root, base);
        end = next ? next->start : as->hi;
    } else {
        end = region_end(r);
        const struct region *n;
        uint32_t s2, p2, t2;
        while ((n = tree_lookup(as->root, end)) && (describe(n, &s2, &p2, &t2), true) &&
               s2 == state && p2 == prot && t2 == type && n->section == r->section)
            end = region_end(n);
    }
    ADDR_REGION_INFO found = {.Base = base,
                              .Size = end - base,
                              .ReservationBase = r ? reservation_base(as, r) : 0,
                              .State = state,
                              .Prot = prot,
                              .Type = type};
    mutex_unlock(&as->mutex);
    /* written outside the lock: a caller's page (a process's, through the
     * bias) may fault, and resolving the fault takes the lock */
    *info = found;
    return S_OK;
}

SCODE as_memory_status(struct as *as, MEMORY_STATUS *st)
{
    if (!st)
        return VM_E_NULL_POINTER;
    struct pmem_stats p;
    pmem_get_stats(&p);
    mutex_lock(&as->mutex);
    size_t total = as->hi - as->lo;
    MEMORY_STATUS found = {
        .Length = sizeof *st,
        .MemoryLoad =
            p.total_pages ? (uint32_t)(100 * (p.total_pages - p.free_pages) / p.total_pages) : 0,
        .TotalPhys = p.total_pages * PAGE_SIZE,
        .AvailPhys = p.free_pages * PAGE_SIZE,
        /* no paging: what can be committed is what is physically free */
        .TotalPageFile = p.total_pages * PAGE_SIZE,
        .AvailPageFile = p.free_pages * PAGE_SIZE,
        .TotalVirtual = total,
        .AvailVirtual = total - as->reserved_pages * PAGE_SIZE,
    };
    mutex_unlock(&as->mutex);
    *st = found; /* outside the lock: see as_query */
    return S_OK;
}

SCODE as_reservation_info(struct as *as, size_t *reserve_granularity, size_t *map_granularity)
{
    (void)as;
    if (!reserve_granularity || !map_granularity)
        return VM_E_NULL_POINTER;
    *reserve_granularity = PAGE_SIZE;
    *map_granularity = PAGE_SIZE;
    return S_OK;
}

static bool is_mapper_of(const struct as *src, const struct region *r)
{
    for (const struct region *m = src->mappers; m; m = m->mnext) {
        if (m == r)
            return true;
    }
    return false;
}

/* One node's own invariants; returns its resident pages. */
static size_t check_region(struct as *as, const struct region *r)
{
    size_t resident = 0;
    if (r->owner != as)
        panic("vm: %s: region %#lx has the wrong owner", as->name, (unsigned long)r->start);
    if (r->state == R_RESERVED) {
        if (r->pages || r->prot || r->flags)
            panic("vm: %s: reserved region %#lx has pages or attributes", as->name,
                  (unsigned long)r->start);
    } else {
        if (!r->pages || r->npages > VM_NODE_MAX_PAGES)
            panic("vm: %s: region %#lx has no page array or is too long", as->name,
                  (unsigned long)r->start);
        for (size_t i = 0; i < r->npages; i++) {
            if (r->pages[i] != PADDR_NONE)
                resident++;
            else if (r->state == R_COMMITTED && !(r->flags & AS_COMMIT_AUTO))
                panic("vm: %s: committed page %#lx has no frame", as->name,
                      (unsigned long)(r->start + i * PAGE_SIZE));
        }
    }
    spin_lock(&as->lock); /* a source's end clears r->src under it */
    bool listed = r->state != R_MAPPED || !r->src || is_mapper_of(r->src, r);
    spin_unlock(&as->lock);
    if (!listed)
        panic("vm: %s: mapping %#lx is missing from its source's list", as->name,
              (unsigned long)r->start);
    const struct section *s = r->section;
    if (s && (r->start < s->base || region_end(r) > s->base + s->npages * PAGE_SIZE))
        panic("vm: %s: region %#lx leaves its section", as->name, (unsigned long)r->start);
    return resident;
}

/* The tree, its nodes' pages and the counters change only under the
 * mutex, so the walk holds the spin lock only where other spaces reach in
 * (their mappings of this one): a walk of the kernel's tree under it was
 * a 22,000-instruction non-preemptible section. */
void as_check(struct as *as)
{
    mutex_lock(&as->mutex);
    size_t nodes = tree_check(as->root, as->lo, as->hi);
    size_t reserved = 0, committed = 0, resident = 0;
    for (const struct region *r = tree_ceil(as->root, as->lo); r;
         r = tree_ceil(as->root, region_end(r))) {
        reserved += r->npages;
        committed += r->state == R_COMMITTED ? r->npages : 0;
        resident += check_region(as, r);
    }
    spin_lock(&as->lock);
    for (const struct region *m = as->mappers; m; m = m->mnext) {
        if (m->src != as || m->state != R_MAPPED)
            panic("vm: %s: a region in its mapper list does not map it", as->name);
    }
    spin_unlock(&as->lock);
    if (nodes != as->nregions || reserved != as->reserved_pages ||
        committed != as->committed_pages || resident != as->resident_pages)
        panic("vm: %s: counters say %zu nodes, %zu reserved, %zu committed, %zu resident; "
              "the tree has %zu, %zu, %zu, %zu",
              as->name, as->nregions, as->reserved_pages, as->committed_pages, as->resident_pages,
              nodes, reserved, committed, resident);
    mutex_unlock(&as->mutex);
}
