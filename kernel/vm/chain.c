/* Mappings of mappings (paper 2.2): the walk a lookup takes down a chain
 * of mappings to the page that backs it, and the invalidation that climbs
 * back up a chain when a page changes. Both follow at most
 * VM_MAP_CHAIN_MAX links, so a cycle ends as an invalid source, and both
 * hold the spinlock of every space they read, taking each once: a chain
 * may pass through the same space twice (A maps B, which maps another
 * part of A), and a spinlock taken twice would be a panic. Locks are
 * released in the reverse order (each restores the interrupt state it
 * found). The walk starts under the first space's lock, whose
 * non-preemptible section is timed; the others are taken brief (untimed),
 * inside it. */
#include "region.h"

#define RUN_MAX 16 /* pages a first link's translation is widened to, each way */

/* The spaces whose spinlocks the walk holds, innermost first. */
struct held {
    struct as *as;
    const struct held *up;
};

static bool holds(const struct held *h, const struct as *as)
{
    for (; h; h = h->up) {
        if (h->as == as)
            return true;
    }
    return false;
}

/* The page the chain reached: enter it, or copy it first. */
static void reached(struct chain_end *e, paddr_t pa, uint32_t prot, uint32_t access)
{
    if (e->at) { /* a copy-on-write link above wants the write: pa is what it copies */
        e->m.kind = VTLB_COW_FAULT;
        e->m.pa = pa;
    } else if (!(prot & access)) {
        e->m.reason = VMX_PROTECTION;
    } else {
        e->m.kind = VTLB_ENTER;
        e->m.pa = pa;
        e->m.prot = prot;
    }
}

/* A first link's translation, widened to the run of pages around it that
 * r shows linearly from s: no private copy in r, consecutive frames in s
 * (bounded, as for a space's own pages). One miss then enters a whole
 * run; a change to any page of s removes that page from r's entries
 * (chain_invalidate), so the others stay right. */
static void widen(struct vtlb_mapping *m, const struct region *r, const struct region *s,
                  vaddr_t sva)
{
    size_t i = page_index(r, m->va), j = page_index(s, sva), lo = 0, hi = 1;
    while (lo < i && lo < j && lo < RUN_MAX && r->pages[i - lo - 1] == PADDR_NONE &&
           s->pages[j - lo - 1] == m->pa - (lo + 1) * PAGE_SIZE)
        lo++;
    while (i + hi < r->npages && j + hi < s->npages && hi < RUN_MAX &&
           r->pages[i + hi] == PADDR_NONE && s->pages[j + hi] == m->pa + hi * PAGE_SIZE)
        hi++;
    m->va -= lo * PAGE_SIZE;
    m->pa -= lo * PAGE_SIZE;
    m->size = (lo + hi) * PAGE_SIZE;
}

/* One link: from mapped region r of x (va in it) to its source. Returns
 * the source's region when the walk must go on through it. */
static const struct region *link(struct chain_end *e, const struct region *r, struct as *x,
                                 vaddr_t *va, uint32_t access, uint32_t *prot, bool first)
{
    e->no_exception |= (r->flags & AS_MAP_NO_EXCEPTION) != 0;
    if (r->flags & AS_MAP_COPY_ON_WRITE) {
        if (access == AS_PROT_WRITE && !e->at && (*prot & AS_PROT_WRITE))
            e->at = x, e->at_va = *va; /* the first copy-on-write link takes the write */
        *prot &= ~(uint32_t)AS_PROT_WRITE;
    }
    struct as *src = r->src;
    if (!src)
        return 0;
    *va = r->src_start + (*va - r->start);
    const struct region *s = tree_lookup(src->root, *va);
    if (!s || s->state == R_RESERVED || !(s->prot & AS_PROT_READ))
        return 0;
    *prot &= s->prot;
    paddr_t pa = s->pages[page_index(s, *va)];
    if (pa != PADDR_NONE) {
        reached(e, pa, *prot, access);
        if (first && e->m.kind == VTLB_ENTER)
            widen(&e->m, r, s, *va);
    } else if (s->state == R_COMMITTED) { /* the source's auto-commit page: resolved there */
        e->m.kind = VTLB_AUTOCOMMIT_FAULT;
        e->at = src, e->at_va = *va;
    } else {
        return s;
    }
    return 0;
}

/* Walk from r (a mapped region of as, whose page at va has no private
 * copy) down to the page that backs it. Each held frame records a lock
 * this walk took, so they are released innermost first. */
static void walk(struct chain_end *e, const struct region *r, struct as *x, vaddr_t va,
                 uint32_t access, uint32_t prot, const struct held *up, unsigned depth, bool run)
{
    if (depth == VM_MAP_CHAIN_MAX)
        return; /* too long, or a cycle: the source is invalid */
    struct as *src = r->src;
    struct held h = {src, up};
    bool take = src && !holds(up, src);
    if (take)
        spin_lock_brief(&src->lock);
    const struct region *next = link(e, r, x, &va, access, &prot, run && depth == 0);
    if (next)
        walk(e, next, src, va, access, prot, &h, depth + 1, run);
    if (take)
        spin_unlock_brief(&src->lock);
}

void chain_lookup(struct as *as, const struct region *r, vaddr_t va, uint32_t access, bool run,
                  struct chain_end *e)
{
    assert_spin_held(&as->lock);
    vaddr_t page = va & ~(vaddr_t)(PAGE_SIZE - 1);
    *e = (struct chain_end){
        .m = {.kind = VTLB_EXCEPTION, .reason = VMX_SOURCE_INVALID, .va = page, .size = PAGE_SIZE}};
    struct held top = {as, 0};
    walk(e, r, as, page, access, r->prot, &top, 0, run);
    if (e->m.kind != VTLB_COW_FAULT && e->m.kind != VTLB_AUTOCOMMIT_FAULT)
        e->at = 0;
    if (e->m.kind == VTLB_EXCEPTION && e->no_exception) { /* paper 3.4.1 */
        e->m.kind = VTLB_SCRATCH;
        e->m.prot = r->prot;
    }
}

static void invalidate_owner(struct as *as, vaddr_t start, vaddr_t end, const struct held *up,
                             unsigned depth);

/* Forget what every mapping of [start, end) of as (whose lock h holds)
 * cached, and what the mappings of those cached, as deep as a lookup
 * would go. */
static void forget_mappers(struct as *as, vaddr_t start, vaddr_t end, const struct held *h,
                           unsigned depth)
{
    for (struct region *r = as->mappers; r; r = r->mnext) {
        vaddr_t s = r->src_start, e = r->src_start + r->npages * PAGE_SIZE;
        s = s > start ? s : start;
        e = e < end ? e : end;
        if (s >= e)
            continue;
        vaddr_t ms = r->start + (s - r->src_start);
        vtlb_remove(r->owner, ms, e - s); /* pages with a private copy too: harmless */
        /* with interrupts off nothing can link to an owner without mappers */
        if (r->owner->mappers && depth + 1 < VM_MAP_CHAIN_MAX)
            invalidate_owner(r->owner, ms, ms + (e - s), h, depth + 1);
    }
}

static void invalidate_owner(struct as *as, vaddr_t start, vaddr_t end, const struct held *up,
                             unsigned depth)
{
    bool take = !holds(up, as);
    if (take)
        spin_lock_brief(&as->lock);
    forget_mappers(as, start, end, &(struct held){as, up}, depth);
    if (take)
        spin_unlock_brief(&as->lock);
}

void chain_invalidate(struct as *as, vaddr_t start, vaddr_t end)
{
    assert_spin_held(&as->lock);
    forget_mappers(as, start, end, &(struct held){as, 0}, 0);
}

void chain_forget(struct as *as, const struct region *m)
{
    assert_spin_held(&as->lock);
    vaddr_t end = region_end(m);
    vtlb_remove(m->owner, m->start, end - m->start);
    if (m->owner->mappers)
        invalidate_owner(m->owner, m->start, end, &(struct held){as, 0}, 1);
}
