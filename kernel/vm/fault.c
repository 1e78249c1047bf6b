/* The VTLB miss path and fault resolution (paper sections 3.1, 3.4).
 * vtlb_miss only reads the tree, under the spinlock; as_resolve_fault
 * does the work of copy-on-write and auto-commit faults in thread context,
 * under the mutex, and changes the tree through AS-mutation functions. */
#include "region.h"

#define ENTER_RUN_MAX 16 /* pages of a linear run reported around va */

const char *vm_exception_name(enum vm_exception x)
{
    static const char *const names[] = {
        "none",       "free address",           "reserved, not committed",
        "protection", "mapping source invalid", "guard page"};
    return x <= VMX_GUARD ? names[x] : "?";
}

/* Report va -> pa, widened to the run of pages of r around page i that
 * are physically contiguous (bounded, so a miss stays short). */
static void enter(struct vtlb_mapping *m, const struct region *r, const paddr_t *pages, size_t i,
                  uint32_t prot)
{
    size_t lo = i, hi = i + 1;
    while (lo > 0 && i - lo < ENTER_RUN_MAX && pages[lo - 1] != PADDR_NONE &&
           pages[lo - 1] + PAGE_SIZE == pages[lo])
        lo--;
    while (hi < r->npages && hi - i < ENTER_RUN_MAX && pages[hi] != PADDR_NONE &&
           pages[hi] == pages[hi - 1] + PAGE_SIZE)
        hi++;
    *m = (struct vtlb_mapping){.kind = VTLB_ENTER,
                               .va = r->start + lo * PAGE_SIZE,
                               .pa = pages[lo],
                               .size = (hi - lo) * PAGE_SIZE,
                               .prot = prot};
}

/* What backs va in as (spinlock held): r is its region (NULL if none);
 * e->m the answer, e->at where a fault is to be resolved. */
static void lookup(struct as *as, vaddr_t va, uint32_t access, struct chain_end *e,
                   struct region **rp)
{
    assert_spin_held(&as->lock);
    struct region *r = *rp = tree_lookup(as->root, va);
    e->at = 0; /* the rest as the answer needs: this is every miss's path */
    enum vm_exception why = !r                        ? VMX_FREE
                            : r->state == R_RESERVED  ? VMX_RESERVED
                            : r->prot & AS_PROT_GUARD ? VMX_GUARD /* before the protection */
                            : !(r->prot & access)     ? VMX_PROTECTION
                                                      : VMX_NONE;
    if (why != VMX_NONE) {
        e->m = (struct vtlb_mapping){.kind = VTLB_EXCEPTION, .reason = why};
        return;
    }
    size_t i = page_index(r, va);
    if (r->pages[i] != PADDR_NONE) { /* own page, or a private copy */
        enter(&e->m, r, r->pages, i, r->prot);
    } else if (r->state == R_COMMITTED) {
        e->m = (struct vtlb_mapping){.kind = VTLB_AUTOCOMMIT_FAULT};
        e->at = as, e->at_va = va;
    } else {
        chain_lookup(as, r, va, access, true, e);
    }
}

void vm_lookup(struct as *as, vaddr_t va, uint32_t access, struct vtlb_mapping *m)
{
    struct chain_end e;
    struct region *r;
    lookup(as, va, access, &e, &r);
    *m = e.m;
}

enum vtlb_result vtlb_miss(struct as *as, vaddr_t va, uint32_t access, struct vtlb_mapping *m)
{
    spin_lock(&as->lock);
    vm_lookup(as, va, access, m);
    spin_unlock(&as->lock);
    return m->kind;
}

/* Give page i of an auto-commit region its page. */
static SCODE resolve_autocommit(struct as *as, struct region *r, size_t i)
{
    struct vm_page_tally tally = {0};
    paddr_t pa = vm_page_alloc(as, r->flags, &tally);
    if (pa == PADDR_NONE)
        return VM_E_NO_MEMORY;
    vm_page_count(&tally);
    mut_set_page(as, r, i, pa);
    as->resident_pages++;
    vm_count_autocommit();
    return S_OK;
}

/* Copy src_pa, the page that backs mapping r at va (as the lookup just
 * found it), into a private page of r; what mapped r (perhaps through
 * chains) showed the old page. The copy runs preemptible (a page is long
 * for a non-preemptible section), so the source may free its page
 * meanwhile: the copy is installed only if the chain still leads there,
 * else dropped (it may hold what the frame's next owner wrote) and the
 * fault retried. */
static SCODE resolve_cow(struct as *as, struct region *r, vaddr_t va, paddr_t src_pa)
{
    paddr_t pa = vm_page_alloc_copy(as);
    if (pa == PADDR_NONE)
        return VM_E_NO_MEMORY;
    arch_copy_page(phys_to_virt(pa), phys_to_virt(src_pa));
    if (!mut_set_copy(as, r, va, pa, src_pa)) {
        vm_page_free(pa, 0);
        return S_OK; /* the retry reports what the source is now */
    }
    as->resident_pages++;
    vm_count_cow();
    vaddr_t page = va & ~(vaddr_t)(PAGE_SIZE - 1);
    invalidate_range(as, page, page + PAGE_SIZE);
    return S_OK;
}

SCODE as_clear_guard(struct as *as, vaddr_t va)
{
    const vaddr_t page = va & ~(vaddr_t)(PAGE_SIZE - 1);
    mutex_lock(&as->mutex);
    struct region *r = tree_lookup(as->root, page);
    SCODE sc = S_FALSE;
    if (r && r->state == R_COMMITTED && (r->prot & AS_PROT_GUARD)) {
        sc = VM_E_NO_MEMORY;
        if (region_boundary(as, page) && region_boundary(as, page + PAGE_SIZE)) {
            r = tree_lookup(as->root, page);
            mut_set_prot(as, r, r->prot & ~(uint32_t)AS_PROT_GUARD);
            sc = S_OK; /* a guard page was never entered: nothing to invalidate */
        }
    }
    mutex_unlock(&as->mutex);
    return sc;
}

/* Resolve the fault of (va, access) in as; a fault that belongs to
 * another space of a chain (its auto-commit page, its copy-on-write link)
 * is resolved there, after as's mutex is released. */
SCODE as_resolve_fault(struct as *as, vaddr_t va, int access)
{
    mutex_lock(&as->mutex);
    struct chain_end e;
    struct region *r;
    spin_lock(&as->lock);
    lookup(as, va, (uint32_t)access, &e, &r);
    spin_unlock(&as->lock);
    SCODE sc = S_OK;
    const vaddr_t mask = ~(vaddr_t)(PAGE_SIZE - 1);
    bool here = e.at == as && (e.at_va & mask) == (va & mask);
    if (e.m.kind == VTLB_COW_FAULT && here)
        sc = resolve_cow(as, r, va, e.m.pa);
    else if (e.m.kind == VTLB_AUTOCOMMIT_FAULT && here)
        sc = resolve_autocommit(as, r, page_index(r, va));
    mutex_unlock(&as->mutex);
    if (e.at && !here)
        sc = as_resolve_fault(e.at, e.at_va,
                              e.m.kind == VTLB_COW_FAULT ? AS_PROT_WRITE : AS_PROT_READ);
    return sc;
}
