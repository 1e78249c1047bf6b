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
 * new one costs a few words, not 1024. */
static void clean(struct x86_pt_page *p)
{
    uint32_t *e = pt_page_map(p->pa);
    for (unsigned i = p->dirty_lo; i < p->dirty_hi; i++)
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
    for (unsigned i = 0; i < npool; i++)
        if (pool[i].use == PT_DIR)
            dir_map(&pool[i])[pdi] = pde;
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
    for (unsigned i = 0; i < npool; i++)
        if (pool[i].use == PT_DIR)
            young |= pde_young(dir_map(&pool[i]), pdi);
    return young;
}

/* The clock's second chance: was p used since the hand last passed? */
static bool young(struct x86_pt_page *p)
{
    bool was;
    switch (p->use) {
    case PT_USER:
        return pde_young(dir_map(p->owner->vtlb.dir), p->pdi);
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
    *p = (struct x86_pt_page){
        .pa = p->pa, .use = PT_FREE, .dirty_lo = p->dirty_lo, .dirty_hi = p->dirty_hi};
    in_use--;
}

void ptpool_drop(struct x86_pt_page *p)
{
    switch (p->use) {
    case PT_USER:
        dir_map(p->owner->vtlb.dir)[p->pdi] = 0;
        tlb_stale |= p->owner == x86_active_as;
        break;
    case PT_KERNEL:
        ptpool_set_kernel_pde(p->pdi, 0);
        tlb_stale = true;
        break;
    case PT_DIR: /* never the active one: its space is not in CR3 */
        assert(p->owner != x86_active_as);
        for (unsigned i = 0; i < npool; i++)
            if (pool[i].use == PT_USER && pool[i].owner == p->owner)
                release(&pool[i]);
        p->owner->vtlb.dir = 0;
        break;
    }
    release(p);
}

void ptpool_drop_tables(bool (*match)(const struct x86_pt_page *p, const void *arg),
                        const void *arg)
{
    for (unsigned i = 0; i < npool; i++)
        if ((pool[i].use == PT_USER || pool[i].use == PT_KERNEL) && match(&pool[i], arg))
            ptpool_drop(&pool[i]);
}

/* Two sweeps always find a victim: the first clears every bit it tests,
 * and at most two pages (pinned, the active directory) are skipped. */
static struct x86_pt_page *choose_victim(const struct x86_pt_page *pinned)
{
    for (unsigned n = 0; n < 2 * npool + 2; n++) {
        struct x86_pt_page *p = &pool[hand];
        hand = (hand + 1) % npool;
        if (p == pinned || (p->use == PT_DIR && p->owner == x86_active_as))
            continue;
        if (!young(p))
            return p;
    }
    panic("vtlb: no page-table page can be recycled");
}

static struct x86_pt_page *find_free(void)
{
    if (in_use == npool)
        return 0;
    for (unsigned i = 0; i < npool; i++)
        if (pool[i].use == PT_FREE)
            return &pool[i];
    panic("vtlb: pool count %u of %u is wrong", in_use, npool);
}

struct x86_pt_page *ptpool_take(const struct x86_pt_page *pinned)
{
    struct x86_pt_page *p = find_free();
    if (!p) {
        p = choose_victim(pinned);
        ptpool_drop(p);
        recycles++;
        vtlb_synchronize();
    }
    clean(p);
    in_use++;
    return p;
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
    npool = n;
    hand = 0;
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
