/* The VTLB miss path and fault resolution (paper sections 3.1, 3.4).
 * vtlb_miss only reads the tree, under the spinlock; as_resolve_fault
 * does the work of copy-on-write and auto-commit faults in thread context,
 * under the mutex, and changes the tree through AS-mutation functions. */
#include "region.h"

#include <kernel/string.h>

#define ENTER_RUN_MAX 16 /* pages of a linear run reported around va */

const char *vm_exception_name(enum vm_exception x)
{
    static const char *const names[] = {"none", "free address", "reserved, not committed",
                                        "protection", "mapping source invalid"};
    return x <= VMX_SOURCE_INVALID ? names[x] : "?";
}

static void exception(struct vtlb_mapping *m, enum vm_exception why)
{
    *m = (struct vtlb_mapping){.kind = VTLB_EXCEPTION, .reason = why};
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

/* A mapped page without a private copy: what the source has there. */
static void lookup_source(const struct region *r, vaddr_t va, uint32_t access,
                          struct vtlb_mapping *m)
{
    struct as *src = r->src;
    if (!src) {
        exception(m, VMX_SOURCE_INVALID);
        return;
    }
    vaddr_t sva = r->src_start + (va - r->start);
    spin_lock(&src->lock);
    const struct region *s = tree_lookup(src->root, sva);
    if (!s || s->state != R_COMMITTED || !(s->prot & AS_PROT_READ)) {
        exception(m, VMX_SOURCE_INVALID);
    } else if (s->pages[page_index(s, sva)] == PADDR_NONE) {
        m->kind = VTLB_AUTOCOMMIT_FAULT; /* in the source: resolved there */
    } else {
        bool cow = r->flags & AS_MAP_COPY_ON_WRITE;
        uint32_t prot = r->prot & s->prot;
        if (cow)
            prot &= ~(uint32_t)AS_PROT_WRITE; /* the first write must fault */
        if (access == AS_PROT_WRITE && cow)
            m->kind = VTLB_COW_FAULT;
        else if (!(prot & access))
            exception(m, VMX_PROTECTION);
        else /* one page: the source's layout may change under the mapping */
            *m = (struct vtlb_mapping){.kind = VTLB_ENTER,
                                       .va = va & ~(vaddr_t)(PAGE_SIZE - 1),
                                       .pa = s->pages[page_index(s, sva)],
                                       .size = PAGE_SIZE,
                                       .prot = prot};
    }
    spin_unlock(&src->lock);
}

void vm_lookup(struct as *as, vaddr_t va, uint32_t access, struct vtlb_mapping *m)
{
    assert_spin_held(&as->lock);
    const struct region *r = tree_lookup(as->root, va);
    if (!r) {
        exception(m, VMX_FREE);
        return;
    }
    if (r->state == R_RESERVED) {
        exception(m, VMX_RESERVED);
        return;
    }
    if (!(r->prot & access)) {
        exception(m, VMX_PROTECTION);
        return;
    }
    size_t i = page_index(r, va);
    if (r->pages[i] != PADDR_NONE) /* own page, or a private copy */
        enter(m, r, r->pages, i, r->prot);
    else if (r->state == R_COMMITTED)
        m->kind = VTLB_AUTOCOMMIT_FAULT;
    else
        lookup_source(r, va, access, m);
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
    paddr_t pa = vm_page_alloc(r->flags, &tally);
    if (pa == PADDR_NONE)
        return VM_E_NO_MEMORY;
    vm_page_count(&tally);
    mut_set_page(as, r, i, pa);
    as->resident_pages++;
    vm_count_autocommit();
    return S_OK;
}

/* Copy the source's page into a private page of mapping r. */
static SCODE resolve_cow(struct as *as, struct region *r, size_t i, vaddr_t va)
{
    struct vtlb_mapping src;
    spin_lock(&as->lock);
    lookup_source(r, va, AS_PROT_READ, &src);
    spin_unlock(&as->lock);
    if (src.kind != VTLB_ENTER)
        return S_OK; /* the source changed: the retry reports what it is now */
    paddr_t pa = vm_page_alloc_copy();
    if (pa == PADDR_NONE)
        return VM_E_NO_MEMORY;
    memcpy(phys_to_virt(pa), phys_to_virt(src.pa), PAGE_SIZE);
    mut_set_page(as, r, i, pa);
    as->resident_pages++;
    vm_count_cow();
    vtlb_remove(as, va & ~(vaddr_t)(PAGE_SIZE - 1), PAGE_SIZE); /* it showed the source's page */
    vtlb_synchronize();
    return S_OK;
}

SCODE as_resolve_fault(struct as *as, vaddr_t va, int access)
{
    mutex_lock(&as->mutex);
    struct vtlb_mapping m;
    spin_lock(&as->lock);
    vm_lookup(as, va, (uint32_t)access, &m);
    spin_unlock(&as->lock);
    struct region *r = tree_lookup(as->root, va);
    SCODE sc = S_OK;
    struct as *src = 0;
    vaddr_t src_va = 0;
    if (m.kind == VTLB_COW_FAULT) {
        sc = resolve_cow(as, r, page_index(r, va), va);
    } else if (m.kind == VTLB_AUTOCOMMIT_FAULT && r->state == R_COMMITTED) {
        sc = resolve_autocommit(as, r, page_index(r, va));
    } else if (m.kind == VTLB_AUTOCOMMIT_FAULT) { /* the source's page: resolve it there */
        src = r->src;
        src_va = r->src_start + (va - r->start);
    }
    mutex_unlock(&as->mutex);
    if (src)
        sc = as_resolve_fault(src, src_va, AS_PROT_READ);
    return sc;
}
