/* The x86 VTLB (paper 3.1): page tables as a cache of the address-space
 * trees. Each user space has a page directory; its user half is filled
 * on demand from vtlb_miss's answers, its kernel half is shared with
 * every other directory. Tables and directories come from the bounded
 * pool (ptpool.c), which recycles them when it runs out, so any
 * translation may vanish at any time and simply faults back in.
 * docs/VTLB-x86.md has the design. */
#include <arch/paging.h>
#include <config.h>
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/vtlb.h>

struct as *x86_active_as;
static uint64_t kernel_misses, user_misses;

static bool is_kernel(const struct as *as)
{
    return as == &kernel_as;
}

/* The linear address of va in as: the kernel's space is seen through its
 * segments, with base 1 GiB; a user space is at linear = va. */
static uint32_t linear(const struct as *as, vaddr_t va)
{
    return is_kernel(as) ? va + KERNEL_SEGMENT_BASE : va;
}

/* Whether the processor may hold translations of as now. */
static bool live(const struct as *as)
{
    return is_kernel(as) || as == x86_active_as;
}

/* as's directory, made (from the pool) if it has none: an empty user half
 * and the kernel half copied from the boot directory, its master copy. */
static struct x86_pt_page *ensure_dir(struct as *as)
{
    if (as->vtlb.dir)
        return as->vtlb.dir;
    struct x86_pt_page *d = ptpool_take(0, PT_DIR, as);
    uint32_t *pd = pt_page_map(d->pa), *boot = boot_dir();
    for (unsigned i = PDI_USER_END; i < PD_ENTRIES; i++)
        pd[i] = boot[i];
    ptpool_mark(d->pa, PDI_USER_END, PD_ENTRIES);
    as->vtlb.dir = d;
    return d;
}

/* The directory whose entries translate as: the boot directory stands for
 * the kernel's space, whose half every directory shares. NULL: none. */
static uint32_t *dir_of(const struct as *as)
{
    if (is_kernel(as))
        return boot_dir();
    return as->vtlb.dir ? pt_page_map(as->vtlb.dir->pa) : 0;
}

/* Install an empty page table at PDE pdi of as (dir: as's directory, or
 * NULL for the kernel's space). */
static void install_table(struct as *as, struct x86_pt_page *dir, unsigned pdi)
{
    struct x86_pt_page *t = ptpool_take(dir, dir ? PT_USER : PT_KERNEL, dir ? as : 0);
    t->pdi = (uint16_t)pdi;
    if (!dir) {
        ptpool_set_kernel_pde(pdi, t->pa | PTE_P | PTE_W);
    } else {
        /* PDEs allow everything; each PTE says what is allowed. */
        pt_page_map(dir->pa)[pdi] = t->pa | PTE_P | PTE_W | PTE_U;
        ptpool_mark(dir->pa, pdi, pdi + 1);
    }
}

/* The page table that holds va's entry, installed if need be. */
static uint32_t *table_for(struct as *as, vaddr_t va)
{
    struct x86_pt_page *dir = is_kernel(as) ? 0 : ensure_dir(as);
    if (dir)
        dir->referenced = true;
    unsigned pdi = PD_INDEX(linear(as, va));
    uint32_t *pd = dir_of(as);
    if (!(pd[pdi] & PTE_P))
        install_table(as, dir, pdi);
    return pt_page_map(pd[pdi] & PTE_ADDR);
}

static vaddr_t max_va(vaddr_t a, vaddr_t b)
{
    return a > b ? a : b;
}

static vaddr_t min_va(vaddr_t a, vaddr_t b)
{
    return a < b ? a : b;
}

/* Write the entries of [lo, hi) (one table's worth of m's run) with
 * flags: page's always, since it may be replacing a read-only entry; the
 * others only where nothing is entered. */
static void fill(struct as *as, uint32_t *pt, vaddr_t lo, vaddr_t hi, vaddr_t page,
                 const struct vtlb_mapping *m, uint32_t flags)
{
    for (vaddr_t v = lo; v < hi; v += PAGE_SIZE) {
        uint32_t *pte = &pt[PT_INDEX(v)];
        if (v != page && (*pte & PTE_P))
            continue;
        bool was = *pte & PTE_P;
        *pte = (m->pa + (v - m->va)) | flags;
        if (was && live(as))
            invlpg_linear(linear(as, v));
    }
    ptpool_mark(virt_to_phys(pt), PT_INDEX(lo), PT_INDEX(hi - PAGE_SIZE) + 1);
}

/* Enter va and the rest of m's run that va's page table covers (a
 * segment base of 1 GiB keeps table boundaries where they are in va). */
void vtlb_enter(struct as *as, vaddr_t va, const struct vtlb_mapping *m)
{
    unsigned long irq = np_begin(NP_VTLB);
    uint32_t *pt = table_for(as, va);
    uint32_t flags = PTE_P | (m->prot & AS_PROT_WRITE ? PTE_W : 0) | (is_kernel(as) ? 0 : PTE_U);
    vaddr_t page = va & ~(vaddr_t)(PAGE_SIZE - 1);
    vaddr_t table_va = page & ~(vaddr_t)(PT_SPAN - 1);
    fill(as, pt, max_va(m->va, table_va), min_va(m->va + m->size, table_va + PT_SPAN), page, m,
         flags);
    np_end(NP_VTLB, irq);
}

/* The first va of the next page table's span. */
static vaddr_t next_table(vaddr_t va)
{
    return (va | (PT_SPAN - 1)) + 1;
}

/* Remove [va, end)'s entries a section at a time: absent tables skipped
 * (SKIP_MAX to a section), then at most REMOVE_BATCH entries of one
 * table. An invlpg from a thread is a trap to ring 0 (about 45
 * instructions), so past INVLPG_MAX entries one reload of CR3 forgets
 * them all. Spaces end at or below 2 GiB, so neither end nor next_table
 * wraps. The next page to look at. */
#define REMOVE_BATCH 64
#define SKIP_MAX     64
#define INVLPG_MAX   8

static vaddr_t remove_batch(struct as *as, uint32_t *pd, vaddr_t v, vaddr_t end)
{
    uint32_t pde = 0;
    for (unsigned n = 0; v < end && n < SKIP_MAX; n++, v = next_table(v))
        if ((pde = pd[PD_INDEX(linear(as, v))]) & PTE_P)
            break;
    if (!(pde & PTE_P))
        return v;
    vaddr_t stop = min_va(min_va(end, next_table(v)), v + REMOVE_BATCH * PAGE_SIZE);
    uint32_t *pt = pt_page_map(pde & PTE_ADDR);
    bool cached = live(as); /* the processor may hold these entries */
    unsigned cleared = 0;
    for (; v < stop; v += PAGE_SIZE) {
        uint32_t *pte = &pt[PT_INDEX(v)];
        if (!(*pte & PTE_P))
            continue;
        *pte = 0;
        if (cached && ++cleared <= INVLPG_MAX)
            invlpg_linear(linear(as, v));
    }
    if (cleared > INVLPG_MAX)
        ptpool_flush_tlb();
    return v;
}

void vtlb_remove(struct as *as, vaddr_t va, size_t size)
{
    vaddr_t end = va + size;
    for (vaddr_t v = va & ~(vaddr_t)(PAGE_SIZE - 1); v < end;) {
        unsigned long irq = np_begin(NP_VTLB);
        uint32_t *pd = dir_of(as);
        v = pd ? remove_batch(as, pd, v, end) : end;
        np_end(NP_VTLB, irq);
    }
}

/* All of as's tables go back to the pool, FLUSH_BATCH to a section: a
 * space may have hundreds. Tables entered meanwhile join the list's
 * tail, so dropping as many as there were from its head drops them all. */
#define FLUSH_BATCH 16

void vtlb_flush(struct as *as)
{
    struct as *owner = is_kernel(as) ? 0 : as;
    for (unsigned left = ptpool_tables(owner), n = 1; left && n;) {
        unsigned long irq = np_begin(NP_VTLB);
        n = ptpool_drop_tables(owner, left < FLUSH_BATCH ? left : FLUSH_BATCH);
        left -= n;
        vtlb_synchronize();
        np_end(NP_VTLB, irq);
    }
}

void vtlb_tidy(void) /* the pool's upkeep happens as it goes */ {}

void vtlb_as_init(struct as *as)
{
    as->vtlb = (struct arch_vtlb_as){0}; /* made on first use: a space never run costs nothing */
}

void vtlb_as_fini(struct as *as)
{
    vtlb_flush(as);
    unsigned long irq = arch_irq_save();
    if (as == x86_active_as)
        vtlb_activate(0);
    if (as->vtlb.dir)
        ptpool_drop(as->vtlb.dir);
    arch_irq_restore(irq);
}

/* Load as's directory (NULL or the kernel's space: the boot directory). */
void vtlb_activate(struct as *as)
{
    if (as && is_kernel(as))
        as = 0;
    if (as == x86_active_as)
        return;
    unsigned long irq = arch_irq_save();
    paddr_t pd = boot_dir_pa();
    if (as) {
        struct x86_pt_page *dir = ensure_dir(as);
        dir->referenced = true;
        pd = dir->pa;
    }
    x86_active_as = as;
    load_cr3(pd);
    arch_irq_restore(irq);
}

void x86_vtlb_init(void)
{
    ptpool_init();
}

void x86_vtlb_count_miss(bool kernel)
{
    if (kernel)
        kernel_misses++;
    else
        user_misses++;
}

uint32_t x86_vtlb_pde(const struct as *as, vaddr_t va)
{
    const uint32_t *pd = dir_of(as);
    return pd ? pd[PD_INDEX(linear(as, va))] : 0;
}

uint32_t x86_vtlb_pte(const struct as *as, vaddr_t va)
{
    uint32_t pde = x86_vtlb_pde(as, va);
    return pde & PTE_P ? pt_page_map(pde & PTE_ADDR)[PT_INDEX(va)] : 0;
}

/* Mapping memory is the pool's pages in use, directories included, plus
 * the boot directory: the constant cost of the direct map. */
void vtlb_get_stats(struct vtlb_stats *s)
{
    *s = (struct vtlb_stats){
        .kernel_misses = kernel_misses,
        .user_misses = user_misses,
        .arch = {.pt_recycles = ptpool_recycles(), .pt_pages_in_use = ptpool_in_use()},
        .bound = ptpool_size(),
        .mapping_bytes = (ptpool_in_use() + 1) * PAGE_SIZE,
        .mapping_bytes_max = (ptpool_size() + 1) * PAGE_SIZE};
}

void vtlb_print_arch_stats(const struct arch_vtlb_stats *s)
{
    kprintf("vtlb: %u page-table pages in use, %llu recycled\n", s->pt_pages_in_use,
            (unsigned long long)s->pt_recycles);
}

/* A smaller pool (vtlb=N): every translation goes, the active space's
 * directory included, and comes back from the smaller pool. */
bool vtlb_set_bound(unsigned n)
{
    if (n < VTLB_MIN_PAGES || n > CONFIG_VTLB_PAGES)
        return false;
    unsigned long irq = arch_irq_save();
    struct as *as = x86_active_as;
    vtlb_activate(0);
    ptpool_resize(n);
    vtlb_activate(as);
    arch_irq_restore(irq);
    return true;
}
