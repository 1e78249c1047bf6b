/* The x86 VTLB's bounded pool of page-table pages (paper 3.1: "recycle
 * page table pages to limit their space overhead"). CONFIG_VTLB_PAGES
 * pages in the kernel image (a section the loader does not fill and boot
 * does not zero, so the pool costs neither; a page is cleared when it is
 * taken) serve as both page tables and page directories; when none is free, a clock over
 * the pool picks one to recycle, using the accessed bits of the directory
 * entries that point at a table (the processor sets them on every walk)
 * and, for a directory, a bit set when its space is activated or entered
 * into. What points at a page is always known from its use: a user table
 * from one PDE of its space's directory, a kernel table from the same PDE
 * of every directory and of the boot directory. */
#include <arch/paging.h>
#include <config.h>
#include <kernel/panic.h>
#include <kernel/string.h>
#include <kernel/vm/vtlb.h>

#define NPOOL CONFIG_VTLB_PAGES /* pages in the image; vtlb=N may use fewer */

extern uint32_t boot_pgdir[]; /* arch/x86/boot.S, linked at its physical address */

static uint8_t pool_pages[NPOOL][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE), section(".ptpool")));
static struct x86_pt_page pool[NPOOL];
static unsigned npool = NPOOL, hand, in_use;
static uint64_t recycles;
static bool tlb_stale; /* a PDE the processor may have cached was cleared */
/* The lists of pages by use, so that no operation but a resize walks the
 * whole pool (issue 14: at 1,024 pages a walk was 6,000 instructions of
 * a fault's non-preemptible section). */
static struct pt_list free_pages, dirs, kernel_tables;

static struct pt_list *list_of(struct x86_pt_page *p)
{
    switch (p->use) {
    case PT_USER:
        return &p->owner->vtlb.tables;
    case PT_KERNEL:
        return &kernel_tables;
    case PT_DIR:
        return &dirs;
    default:
        return &free_pages;
    }
}

static void link_tail(struct x86_pt_page *p)
{
    struct pt_list *l = list_of(p);
    p->prev = l->tail;
    p->next = 0;
    *(l->tail ? &l->tail->next : &l->head) = p;
    l->tail = p;
    l->count++;
}

static void unlink(struct x86_pt_page *p)
{
    struct pt_list *l = list_of(p);
    *(p->prev ? &p->prev->next : &l->head) = p->next;
    *(p->next ? &p->next->prev : &l->tail) = p->prev;
    l->count--;
}

paddr_t boot_dir_pa(void)
{
    return (paddr_t)(uintptr_t)boot_pgdir;
}

uint32_t *boot_dir(void)
{
    return pt_page_map(boot_dir_pa());
}

/* The section is not zeroed by the loader: clear it here, once, so that
 * no fault ever pays for clearing a whole page inside its non-preemptible
 * section (the longest one otherwise: about 5,300 instructions). */
void ptpool_init(void)
{
    for (unsigned i = 0; i < NPOOL; i++) {
        memset(pool_pages[i], 0, PAGE_SIZE);
        pool[i] = (struct x86_pt_page){
            .pa = virt_to_phys(pool_pages[i]), .use = PT_FREE, .dirty_lo = PD_ENTRIES};
        if (i < npool)
            link_tail(&pool[i]);
    }
}

void ptpool_mark(paddr_t page, unsigned lo, unsigned hi)
{
    struct x86_pt_page *p = &pool[(page - virt_to_phys(pool_pages[0])) / PAGE_SIZE];
    if (lo < p->dirty_lo)
        p->dirty_lo = (uint16_t)lo;
    if (hi > p->dirty_hi)
        p->dirty_hi = (uint16_t)hi;
}

/* Zero what may be non-zero: a table holds a few runs of entries, so a
 * new one costs a few words, not 1024. Eight at a time: a whole table
 * is then about 1,300 instructions of a fault's section, not 3,100. */
static void clean(struct x86_pt_page *p)
{
    uint32_t *e = pt_page_map(p->pa);
    unsigned i = p->dirty_lo & ~7u;
    for (; i + 8 <= p->dirty_hi; i += 8)
        e[i] = e[i + 1] = e[i + 2] = e[i + 3] = e[i + 4] = e[i + 5] = e[i + 6] = e[i + 7] = 0;
    for (; i < p->dirty_hi; i++)
        e[i] = 0;
    p->dirty_lo = PD_ENTRIES;
    p->dirty_hi = 0;
}

static uint32_t *dir_map(const struct x86_pt_page *dir)
{
    return pt_page_map(dir->pa);
}

void ptpool_set_kernel_pde(unsigned pdi, uint32_t pde)
{
    boot_dir()[pdi] = pde;
    for (struct x86_pt_page *d = dirs.head; d; d = d->next)
        dir_map(d)[pdi] = pde;
}

/* Test and clear the accessed bit of one PDE. */
static bool pde_young(uint32_t *pd, unsigned pdi)
{
    bool young = pd[pdi] & PTE_A;
    pd[pdi] &= ~PTE_A;
    return young;
}

/* A kernel table is young if any directory's walk went through it. */
static bool kernel_table_young(unsigned pdi)
{
    bool young = pde_young(boot_dir(), pdi);
    for (struct x86_pt_page *d = dirs.head; d; d = d->next)
        young |= pde_young(dir_map(d), pdi);
    return young;
}

/* A table of a directory its space has since lost: nothing points at it. */
static bool orphaned(const struct x86_pt_page *p)
{
    return p->dir_gen != p->owner->vtlb.dir_gen;
}

/* The clock's second chance: was p used since the hand last passed? */
static bool young(struct x86_pt_page *p)
{
    bool was;
    switch (p->use) {
    case PT_USER:
        return !orphaned(p) && pde_young(dir_map(p->owner->vtlb.dir), p->pdi);
    case PT_KERNEL:
        return kernel_table_young(p->pdi);
    case PT_DIR:
        was = p->referenced;
        p->referenced = false;
        return was;
    default:
        return false;
    }
}

static void release(struct x86_pt_page *p)
{
    unlink(p);
    *p = (struct x86_pt_page){
        .pa = p->pa, .use = PT_FREE, .dirty_lo = p->dirty_lo, .dirty_hi = p->dirty_hi};
    link_tail(p);
    in_use--;
}

/* A directory's tables are not freed with it, which would be one step
 * per table in a fault's section: the space's dir_gen moves on, and
 * they are orphans, the clock's first victims. */
void ptpool_drop(struct x86_pt_page *p)
{
    switch (p->use) {
    case PT_USER:
        if (orphaned(p))
            break;
        dir_map(p->owner->vtlb.dir)[p->pdi] = 0;
        tlb_stale |= p->owner == x86_active_as;
        break;
    case PT_KERNEL:
        ptpool_set_kernel_pde(p->pdi, 0);
        tlb_stale = true;
        break;
    case PT_DIR: /* never the active one: its space is not in CR3 */
        assert(p->owner != x86_active_as);
        p->owner->vtlb.dir = 0;
        p->owner->vtlb.dir_gen++;
        break;
    }
    release(p);
}

static struct pt_list *tables_of(struct as *as)
{
    return as ? &as->vtlb.tables : &kernel_tables;
}

unsigned ptpool_drop_tables(struct as *as, unsigned max)
{
    struct pt_list *l = tables_of(as);
    unsigned n = 0;
    for (; n < max && l->head; n++)
        ptpool_drop(l->head);
    return n;
}

unsigned ptpool_tables(const struct as *as)
{
    return tables_of((struct as *)as)->count;
}

/* The clock looks at CLOCK_LOOK pages at most, so that a pool of young
 * pages costs a fault no more than a small one: if all it saw were
 * young, their bits are clear now and the last it saw goes. */
#define CLOCK_LOOK 32

static bool pinned_now(const struct x86_pt_page *p, const struct x86_pt_page *pinned)
{
    return p == pinned || (p->use == PT_DIR && p->owner == x86_active_as);
}

static struct x86_pt_page *choose_victim(const struct x86_pt_page *pinned)
{
    struct x86_pt_page *last = 0;
    for (unsigned n = 0; n < CLOCK_LOOK || !last; n++) {
        struct x86_pt_page *p = &pool[hand];
        hand = (hand + 1) % npool;
        if (pinned_now(p, pinned))
            continue;
        if (!young(p))
            return p;
        last = p;
    }
    return last;
}

struct x86_pt_page *ptpool_take(const struct x86_pt_page *pinned, enum pt_use use, struct as *owner)
{
    struct x86_pt_page *p = free_pages.head;
    if (!p) {
        p = choose_victim(pinned);
        ptpool_drop(p);
        recycles++;
        vtlb_synchronize();
    }
    clean(p);
    unlink(p);
    p->use = (uint8_t)use;
    p->owner = owner;
    p->dir_gen = owner ? owner->vtlb.dir_gen : 0;
    link_tail(p);
    in_use++;
    return p;
}

void ptpool_flush_tlb(void)
{
    tlb_stale = true;
    vtlb_synchronize();
}

void vtlb_synchronize(void)
{
    if (!tlb_stale)
        return;
    tlb_stale = false;
    load_cr3(x86_active_as ? x86_active_as->vtlb.dir->pa : boot_dir_pa());
}

void ptpool_resize(unsigned n)
{
    assert(!x86_active_as && n >= VTLB_MIN_PAGES && n <= NPOOL);
    for (unsigned i = 0; i < npool; i++)
        if (pool[i].use == PT_USER || pool[i].use == PT_KERNEL)
            ptpool_drop(&pool[i]);
    for (unsigned i = 0; i < npool; i++)
        if (pool[i].use == PT_DIR)
            ptpool_drop(&pool[i]);
    for (unsigned i = 0; i < npool; i++)
        unlink(&pool[i]);
    npool = n;
    hand = 0;
    for (unsigned i = 0; i < npool; i++)
        link_tail(&pool[i]);
    vtlb_synchronize();
}

unsigned ptpool_size(void)
{
    return npool;
}

unsigned ptpool_in_use(void)
{
    return in_use;
}

uint64_t ptpool_recycles(void)
{
    return recycles;
}
