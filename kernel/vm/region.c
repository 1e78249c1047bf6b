/* Region nodes: allocation, splitting and merging, the links of mappings
 * to their sources, and the AS-mutation functions. The mutation functions
 * are the only code that changes a tree or a node the VTLB miss path can
 * see; each is short and runs under the space's spinlock (so, on this
 * uniprocessor kernel, with interrupts off), which is why everything they
 * need is allocated before they are called. They are only called from
 * within an operation, which holds the mutex: they assert both. */
#include "region.h"

#include <kernel/string.h>

struct region *region_new(struct as *as, vaddr_t start, size_t npages, enum region_state state,
                          bool with_pages)
{
    if (!vm_may_allocate())
        return 0;
    struct region *r = heap_alloc(as->heap, sizeof *r);
    if (!r)
        return 0;
    *r = (struct region){.start = start, .npages = npages, .state = (uint8_t)state, .owner = as};
    if (with_pages) {
        assert(npages <= VM_NODE_MAX_PAGES);
        r->pages = vm_may_allocate() ? heap_alloc(as->heap, npages * sizeof(paddr_t)) : 0;
        if (!r->pages) {
            heap_free(as->heap, r);
            return 0;
        }
        for (size_t i = 0; i < npages; i++)
            r->pages[i] = PADDR_NONE;
    }
    return r;
}

void region_free(struct as *as, struct region *r)
{
    if (r->pages)
        heap_free(as->heap, r->pages);
    heap_free(as->heap, r);
}

void mut_insert(struct as *as, struct region *r)
{
    assert_mutex_held(&as->mutex);
    spin_lock(&as->lock);
    tree_insert(&as->root, r);
    as->nregions++;
    spin_unlock(&as->lock);
}

void mut_remove(struct as *as, struct region *r)
{
    assert_mutex_held(&as->mutex);
    spin_lock(&as->lock);
    tree_remove(&as->root, r);
    as->nregions--;
    spin_unlock(&as->lock);
}

void mut_replace(struct as *as, struct region *old, struct region *with)
{
    assert_mutex_held(&as->mutex);
    spin_lock(&as->lock);
    tree_remove(&as->root, old);
    tree_insert(&as->root, with);
    spin_unlock(&as->lock);
}

paddr_t *mut_make_reserved(struct as *as, struct region *r)
{
    assert_mutex_held(&as->mutex);
    spin_lock(&as->lock);
    paddr_t *pages = r->pages;
    r->state = R_RESERVED;
    r->pages = 0;
    r->prot = 0;
    r->flags = 0;
    spin_unlock(&as->lock);
    return pages;
}

void mut_set_prot(struct as *as, struct region *r, uint32_t prot)
{
    assert_mutex_held(&as->mutex);
    spin_lock(&as->lock);
    r->prot = (uint8_t)prot;
    spin_unlock(&as->lock);
}

void mut_set_page(struct as *as, struct region *r, size_t i, paddr_t pa)
{
    assert_mutex_held(&as->mutex);
    spin_lock(&as->lock);
    r->pages[i] = pa;
    spin_unlock(&as->lock);
}

/* Shrink r to end at va and insert tail as [va, old end): one mutation, so
 * the miss path never sees the range half covered. */
static void mut_split(struct as *as, struct region *r, struct region *tail, vaddr_t va)
{
    assert_mutex_held(&as->mutex);
    spin_lock(&as->lock);
    r->npages = page_index(r, va);
    tree_insert(&as->root, tail);
    as->nregions++;
    spin_unlock(&as->lock);
}

struct region *region_split(struct as *as, struct region *r, vaddr_t va)
{
    assert(va > r->start && va < region_end(r) && va % PAGE_SIZE == 0);
    size_t head = page_index(r, va);
    struct region *tail =
        region_new(as, va, r->npages - head, (enum region_state)r->state, r->pages != 0);
    if (!tail)
        return 0;
    tail->prot = r->prot;
    tail->flags = r->flags;
    tail->section = r->section;
    if (r->pages)
        memcpy(tail->pages, r->pages + head, tail->npages * sizeof(paddr_t));
    if (r->state == R_MAPPED) {
        tail->src = r->src;
        tail->src_start = r->src_start + (va - r->start);
        if (tail->src)
            mapper_link(tail);
    }
    mut_split(as, r, tail, va);
    return tail;
}

bool region_boundary(struct as *as, vaddr_t va)
{
    struct region *r = tree_lookup(as->root, va);
    return !r || r->start == va || region_split(as, r, va);
}

void region_merge_reserved(struct as *as, struct region *r)
{
    struct region *next = tree_ceil(as->root, region_end(r));
    assert_mutex_held(&as->mutex);
    if (!next || next->start != region_end(r) || r->state != R_RESERVED ||
        next->state != R_RESERVED || r->section != next->section)
        return;
    spin_lock(&as->lock);
    tree_remove(&as->root, next);
    as->nregions--;
    r->npages += next->npages;
    spin_unlock(&as->lock);
    region_free(as, next);
}

/* A source's list of mappers changes under the mapper's mutex and is
 * walked under the source's: its own spinlock keeps the two apart. */
void mapper_link(struct region *r)
{
    struct as *src = r->src;
    spin_lock(&src->lock);
    r->mprev = 0;
    r->mnext = src->mappers;
    if (r->mnext)
        r->mnext->mprev = r;
    src->mappers = r;
    spin_unlock(&src->lock);
}

void mapper_unlink(struct region *r)
{
    struct as *src = r->src;
    if (!src)
        return;
    spin_lock(&src->lock);
    if (r->mprev)
        r->mprev->mnext = r->mnext;
    else
        src->mappers = r->mnext;
    if (r->mnext)
        r->mnext->mprev = r->mprev;
    r->mnext = r->mprev = 0;
    spin_unlock(&src->lock);
}

void invalidate_range(struct as *as, vaddr_t start, vaddr_t end)
{
    vtlb_remove(as, start, end - start);
    spin_lock(&as->lock);
    for (struct region *m = as->mappers; m; m = m->mnext) {
        vaddr_t s = m->src_start, e = m->src_start + m->npages * PAGE_SIZE;
        s = s > start ? s : start;
        e = e < end ? e : end;
        if (s < e) /* only pages without a private copy showed the source */
            vtlb_remove(m->owner, m->start + (s - m->src_start), e - s);
    }
    spin_unlock(&as->lock);
    vtlb_synchronize();
}
