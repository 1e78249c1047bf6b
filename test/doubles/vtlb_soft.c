/* The reference VTLB (see <vtlb_soft.h>). A set is chosen by the
 * page number and the space's tag, so spaces using the same addresses do
 * not all collide; within a set the victim is chosen round-robin. */
#include <kernel/string.h>
#include <vtlb_soft.h>

static struct vtlb_soft_entry entries[VTLB_SOFT_MAX_ENTRIES];
static unsigned nsets = 256, nways = 2;
static unsigned victim[VTLB_SOFT_MAX_ENTRIES];
static uint32_t next_tag = 1;
static struct vtlb_soft_stats stats;

void vtlb_soft_configure(unsigned n, unsigned ways)
{
    assert(n && n <= VTLB_SOFT_MAX_ENTRIES && (n & (n - 1)) == 0 && ways && n % ways == 0);
    nsets = n / ways;
    nways = ways;
    memset(entries, 0, sizeof entries);
    memset(victim, 0, sizeof victim);
    stats.valid = 0;
}

static struct vtlb_soft_entry *set_of(uint32_t tag, vaddr_t vpage)
{
    unsigned set = (unsigned)((vpage / PAGE_SIZE) ^ (tag * 0x9e37u)) & (nsets - 1);
    return &entries[set * nways];
}

static void invalidate(struct vtlb_soft_entry *e)
{
    if (e->tag) {
        e->tag = 0;
        stats.valid--;
    }
}

void vtlb_soft_as_init(struct as *as)
{
    as->vtlb_tag = next_tag++;
}

void vtlb_soft_as_fini(struct as *as)
{
    vtlb_soft_flush(as);
}

bool vtlb_soft_runs = true;

/* Enter one page of m's run. */
static void enter_page(struct as *as, vaddr_t vpage, const struct vtlb_mapping *m)
{
    struct vtlb_soft_entry *set = set_of(as->vtlb_tag, vpage), *slot = 0;
    for (unsigned w = 0; w < nways && !slot; w++) {
        if (set[w].tag == as->vtlb_tag && set[w].vpage == vpage)
            slot = &set[w]; /* replace a stale translation of the same page */
    }
    for (unsigned w = 0; w < nways && !slot; w++) {
        if (!set[w].tag)
            slot = &set[w];
    }
    if (!slot) {
        unsigned *v = &victim[set - entries];
        slot = &set[*v];
        *v = (*v + 1) % nways;
        invalidate(slot);
        stats.evictions++;
    }
    if (!slot->tag)
        stats.valid++;
    *slot = (struct vtlb_soft_entry){
        .tag = as->vtlb_tag, .prot = m->prot, .vpage = vpage, .ppage = m->pa + (vpage - m->va)};
    stats.enters++;
}

/* va's page, and (vtlb_soft_runs) every other page of the run, as the
 * x86 VTLB does within a page table, so the checks of every entry against
 * the tree see all a run claims. */
void vtlb_soft_enter(struct as *as, vaddr_t va, const struct vtlb_mapping *m)
{
    assert(m->kind == VTLB_ENTER && va >= m->va && va - m->va < m->size);
    vaddr_t vpage = va & ~(vaddr_t)(PAGE_SIZE - 1);
    for (vaddr_t p = m->va; vtlb_soft_runs && p < m->va + m->size; p += PAGE_SIZE) {
        if (p != vpage)
            enter_page(as, p, m);
    }
    enter_page(as, vpage, m); /* last: the others must not evict it */
}

void vtlb_soft_remove(struct as *as, vaddr_t va, size_t size)
{
    stats.removes++;
    vaddr_t end = va + size;
    if (size / PAGE_SIZE > nsets) { /* cheaper to look at every entry */
        for (unsigned i = 0; i < nsets * nways; i++) {
            if (entries[i].tag == as->vtlb_tag && entries[i].vpage >= va && entries[i].vpage < end)
                invalidate(&entries[i]);
        }
        return;
    }
    for (vaddr_t p = va & ~(vaddr_t)(PAGE_SIZE - 1); p < end; p += PAGE_SIZE) {
        struct vtlb_soft_entry *set = set_of(as->vtlb_tag, p);
        for (unsigned w = 0; w < nways; w++) {
            if (set[w].tag == as->vtlb_tag && set[w].vpage == p)
                invalidate(&set[w]);
        }
    }
}

void vtlb_soft_flush(struct as *as)
{
    stats.flushes++;
    for (unsigned i = 0; i < nsets * nways; i++) {
        if (entries[i].tag == as->vtlb_tag)
            invalidate(&entries[i]);
    }
}

bool vtlb_soft_lookup(struct as *as, vaddr_t va, uint32_t access, paddr_t *pa)
{
    vaddr_t vpage = va & ~(vaddr_t)(PAGE_SIZE - 1);
    struct vtlb_soft_entry *set = set_of(as->vtlb_tag, vpage);
    for (unsigned w = 0; w < nways; w++) {
        if (set[w].tag == as->vtlb_tag && set[w].vpage == vpage && (set[w].prot & access)) {
            *pa = set[w].ppage + (va - vpage);
            stats.hits++;
            return true;
        }
    }
    stats.misses++;
    return false;
}

void vtlb_soft_foreach(void (*fn)(const struct vtlb_soft_entry *e, void *arg), void *arg)
{
    for (unsigned i = 0; i < nsets * nways; i++) {
        if (entries[i].tag)
            fn(&entries[i], arg);
    }
}

void vtlb_soft_get_stats(struct vtlb_soft_stats *s)
{
    *s = stats;
}

SCODE vtlb_soft_access(struct as *as, vaddr_t va, uint32_t access, paddr_t *pa,
                       enum vm_exception *reason)
{
    *reason = VMX_NONE;
    for (int tries = 0; tries < 4; tries++) {
        if (vtlb_soft_lookup(as, va, access, pa))
            return S_OK;
        struct vtlb_mapping m;
        SCODE sc;
        switch (vtlb_miss(as, va, access, &m)) {
        case VTLB_ENTER:
            vtlb_soft_enter(as, va, &m);
            break;
        case VTLB_COW_FAULT:
        case VTLB_AUTOCOMMIT_FAULT:
            if ((sc = as_resolve_fault(as, va, (int)access)) != S_OK)
                return sc;
            break;
        case VTLB_SCRATCH:
            *reason = m.reason;
            *pa = VTLB_SOFT_SCRATCH_PA + (va & (PAGE_SIZE - 1));
            return S_OK;
        case VTLB_EXCEPTION:
            *reason = m.reason;
            return VM_E_EXCEPTION;
        }
    }
    /* a miss enters what it found and a fault is resolved, so the second
     * or third try hits; a fourth miss means the VTLB and tree disagree */
    panic("vtlb_soft_access: %#lx never resolved", (unsigned long)va);
}
