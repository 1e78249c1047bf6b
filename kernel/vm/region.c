/* Region nodes: allocation, splitting and merging, the links of mappings
 * to their sources, and the AS-mutation functions. The mutation functions
 * are the only code that changes a tree or a node the VTLB miss path can
 * see; each is short and runs under the space's spinlock (so, on this
 * uniprocessor kernel, with interrupts off), for the kernel's space on the
 * interrupt stack (struct mutation below), which is why everything they
 * need is allocated before they are called. They are only called from
 * within an operation, which holds the mutex: they assert both. */
#include "region.h"

#include <kernel/arch.h>
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

/* One AS mutation: what to change and its operands. The kernel space's
 * mutations run on the interrupt stack (paper 3.2.2: "In the case of the
 * kernel address space, the AS-mutation functions also need to switch to
 * the kernel's interrupt stack"), because a thread stack is in that space
 * and the VTLB may have dropped its translations (say while the thread was
 * preempted after its probe): a stack access under the spinlock would then
 * be a kernel VTLB miss, and the miss path takes that same spinlock. */
struct mutation {
    struct as *as;                     /* whose spinlock */
    void (*apply)(struct mutation *m); /* runs with it held */
    struct region *r, *other;
    vaddr_t va, end;
    size_t index;
    paddr_t pa, from;
    uint32_t prot;
    paddr_t *pages; /* out: mut_make_reserved's page array */
    bool done;      /* out: mut_set_copy installed the copy */
};

/* Take the lock, apply, release. The caller's mutation is on its thread
 * stack, so it is copied in before the lock is taken and out after it is
 * released: a miss on it then waits for nothing. */
static void run_locked(void *arg)
{
    struct mutation m = *(struct mutation *)arg;
    spin_lock(&m.as->lock);
    m.apply(&m);
    spin_unlock(&m.as->lock);
    *(struct mutation *)arg = m;
}

static void mutate(struct mutation *m)
{
    if (m->as->mutate_on_interrupt_stack)
        arch_run_on_interrupt_stack(run_locked, m);
    else
        run_locked(m);
}

static void apply_insert(struct mutation *m)
{
    tree_insert(&m->as->root, m->r);
    m->as->nregions++;
}

void mut_insert(struct as *as, struct region *r)
{
    assert_mutex_held(&as->mutex);
    mutate(&(struct mutation){.as = as, .apply = apply_insert, .r = r});
}

static void apply_remove(struct mutation *m)
{
    tree_remove(&m->as->root, m->r);
    m->as->nregions--;
}

void mut_remove(struct as *as, struct region *r)
{
    assert_mutex_held(&as->mutex);
    mutate(&(struct mutation){.as = as, .apply = apply_remove, .r = r});
}

static void apply_replace(struct mutation *m)
{
    tree_remove(&m->as->root, m->r);
    tree_insert(&m->as->root, m->other);
}

void mut_replace(struct as *as, struct region *old, struct region *with)
{
    assert_mutex_held(&as->mutex);
    mutate(&(struct mutation){.as = as, .apply = apply_replace, .r = old, .other = with});
}

static void apply_make_reserved(struct mutation *m)
{
    struct region *r = m->r;
    m->pages = r->pages;
    r->state = R_RESERVED;
    r->pages = 0;
    r->prot = 0;
    r->flags = 0;
}

paddr_t *mut_make_reserved(struct as *as, struct region *r)
{
    assert_mutex_held(&as->mutex);
    struct mutation m = {.as = as, .apply = apply_make_reserved, .r = r};
    mutate(&m);
    return m.pages;
}

static void apply_set_prot(struct mutation *m)
{
    m->r->prot = (uint8_t)m->prot;
}

void mut_set_prot(struct as *as, struct region *r, uint32_t prot)
{
    assert_mutex_held(&as->mutex);
    mutate(&(struct mutation){.as = as, .apply = apply_set_prot, .r = r, .prot = prot});
}

static void apply_set_page(struct mutation *m)
{
    m->r->pages[m->index] = m->pa;
}

void mut_set_page(struct as *as, struct region *r, size_t i, paddr_t pa)
{
    assert_mutex_held(&as->mutex);
    mutate(&(struct mutation){.as = as, .apply = apply_set_page, .r = r, .index = i, .pa = pa});
}

/* The chain is checked where the copy is installed, under the same lock,
 * so no source change can come between the check and the install. */
static void apply_set_copy(struct mutation *m)
{
    struct chain_end e;
    chain_lookup(m->as, m->r, m->va, AS_PROT_READ, false, &e);
    m->done = e.m.kind == VTLB_ENTER && e.m.pa == m->from;
    if (m->done)
        m->r->pages[m->index] = m->pa;
}

bool mut_set_copy(struct as *as, struct region *r, vaddr_t va, paddr_t pa, paddr_t from)
{
    assert_mutex_held(&as->mutex);
    struct mutation m = {.as = as,
                         .apply = apply_set_copy,
                         .r = r,
                         .va = va,
                         .index = page_index(r, va),
                         .pa = pa,
                         .from = from};
    mutate(&m);
    return m.done;
}

/* Shrink r to end at va and insert tail as [va, old end): one mutation, so
 * the miss path never sees the range half covered. */
static void apply_split(struct mutation *m)
{
    m->r->npages = page_index(m->r, m->va);
    tree_insert(&m->as->root, m->other);
    m->as->nregions++;
}

static void mut_split(struct as *as, struct region *r, struct region *tail, vaddr_t va)
{
    assert_mutex_held(&as->mutex);
    mutate(&(struct mutation){.as = as, .apply = apply_split, .r = r, .other = tail, .va = va});
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

static void apply_merge_next(struct mutation *m)
{
    tree_remove(&m->as->root, m->other);
    m->as->nregions--;
    m->r->npages += m->other->npages;
}

void region_merge_reserved(struct as *as, struct region *r)
{
    struct region *next = tree_ceil(as->root, region_end(r));
    assert_mutex_held(&as->mutex);
    if (!next || next->start != region_end(r) || r->state != R_RESERVED ||
        next->state != R_RESERVED || r->section != next->section)
        return;
    mutate(&(struct mutation){.as = as, .apply = apply_merge_next, .r = r, .other = next});
    region_free(as, next);
}

/* A source's list of mappers changes under the mapper's mutex and is
 * walked under the source's: its own spinlock keeps the two apart. These
 * are mutations of the source (which may be kernel_as). */
static void apply_link(struct mutation *m)
{
    struct region *r = m->r;
    r->mprev = 0;
    r->mnext = m->as->mappers;
    if (r->mnext)
        r->mnext->mprev = r;
    m->as->mappers = r;
}

void mapper_link(struct region *r)
{
    mutate(&(struct mutation){.as = r->src, .apply = apply_link, .r = r});
}

static void apply_unlink(struct mutation *m)
{
    struct region *r = m->r;
    if (r->mprev)
        r->mprev->mnext = r->mnext;
    else
        m->as->mappers = r->mnext;
    if (r->mnext)
        r->mnext->mprev = r->mprev;
    r->mnext = r->mprev = 0;
}

void mapper_unlink(struct region *r)
{
    if (r->src)
        mutate(&(struct mutation){.as = r->src, .apply = apply_unlink, .r = r});
}

/* Under the spinlock, like a mutation: the list may change meanwhile. */
static void apply_invalidate_mappers(struct mutation *m)
{
    chain_invalidate(m->as, m->va, m->end);
}

static void remove_from_mappers(struct as *as, vaddr_t start, vaddr_t end)
{
    if (as->mappers) /* a mapping made later never saw what changed */
        mutate(&(struct mutation){
            .as = as, .apply = apply_invalidate_mappers, .va = start, .end = end});
}

void invalidate_mappers(struct as *as, vaddr_t start, vaddr_t end)
{
    remove_from_mappers(as, start, end);
    vtlb_synchronize();
}

void invalidate_range(struct as *as, vaddr_t start, vaddr_t end)
{
    vtlb_remove(as, start, end - start);
    remove_from_mappers(as, start, end);
    vtlb_synchronize();
}
