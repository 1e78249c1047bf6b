/* vm_inject: every allocation of every operation fails in turn. For each
 * scenario a first run counts the allocations the operation makes; then
 * for k = 1..count the scenario is rebuilt from scratch with the k-th
 * allocation failing, and the operation must report VM_E_NO_MEMORY, leave
 * a valid tree, and (the paper's rule, section 2.1) Deallocate of the
 * reservation must clean up whatever it left, so that after as_destroy
 * every physical page and every heap byte is back. */
#include <limits.h>
#include "vmtest.h"

#include <criterion/criterion.h>

TestSuite(vm_inject, .init = vmtest_init, .fini = vmtest_fini, .timeout = 60);

#define RW (AS_PROT_READ | AS_PROT_WRITE)

/* Two spaces (b is a mapping source) and what the clean-up deallocates. */
struct fx {
    struct as a, b;
    vaddr_t base, src_base; /* reservations in a and b */
    size_t size, src_size;
    bool section; /* a's reservation is a section: deallocate it by base */
};

struct scenario {
    const char *name;
    void (*setup)(struct fx *f);
    SCODE (*op)(struct fx *f);
    bool deallocate; /* the operation frees: it may only fail where it splits */
    bool hands_out;  /* it only gives pages out: the policy counters follow the resident pages */
};

static void reserve(struct as *as, vaddr_t at, size_t pages, uint32_t flags)
{
    vaddr_t a = at;
    cr_assert_eq(as_reserve(as, &a, pages * P, flags), S_OK);
}

static void commit(struct as *as, vaddr_t at, size_t pages, uint32_t flags)
{
    cr_assert_eq(as_commit(as, at, pages * P, flags), S_OK);
}

/* a: a 320-page reservation between two others (a tree to work in). */
static void setup_reserved(struct fx *f)
{
    f->base = 0x1000000;
    f->size = 320 * P;
    reserve(&f->a, f->base - 8 * P, 4, 0);
    reserve(&f->a, f->base, 320, 0);
    reserve(&f->a, f->base + 330 * P, 4, AS_RESERVE_SECTION);
}

/* ... with pages 20..59 committed. */
static void setup_committed(struct fx *f)
{
    setup_reserved(f);
    commit(&f->a, f->base + 20 * P, 40, RW);
}

/* ... with pages 10..309 committed: two nodes of committed pages. */
static void setup_two_nodes(struct fx *f)
{
    setup_reserved(f);
    commit(&f->a, f->base + 10 * P, 300, RW);
}

static void setup_section(struct fx *f)
{
    setup_reserved(f);
    f->base += 400 * P;
    f->size = 64 * P;
    f->section = true;
    reserve(&f->a, f->base, 64, AS_RESERVE_SECTION);
}

/* b: 16 written pages; a: a reservation to map them into. */
static void setup_source(struct fx *f)
{
    setup_reserved(f);
    f->src_base = 0x2000000;
    f->src_size = 16 * P;
    vaddr_t s = f->src_base;
    cr_assert_eq(as_allocate(&f->b, &s, f->src_size, RW), S_OK);
    for (size_t i = 0; i < 16; i++)
        vm_write8(&f->b, f->src_base + i * P, (uint8_t)i);
}

static void setup_cow_mapping(struct fx *f)
{
    setup_source(f);
    vaddr_t d = f->base + 100 * P;
    cr_assert_eq(as_map_range(&f->a, &d, 16 * P, RW | AS_MAP_COPY_ON_WRITE, &f->b, f->src_base),
                 S_OK);
}

static void setup_auto(struct fx *f)
{
    setup_reserved(f);
    commit(&f->a, f->base + 20 * P, 40, RW | AS_COMMIT_AUTO);
}

static SCODE op_reserve(struct fx *f)
{
    vaddr_t a = f->base - 4 * P; /* between two reservations, merging with one */
    return as_reserve(&f->a, &a, 4 * P, 0);
}

static SCODE op_reserve_section(struct fx *f)
{
    vaddr_t a = f->base + 324 * P;
    return as_reserve(&f->a, &a, 4 * P, AS_RESERVE_SECTION);
}

static SCODE op_commit_plain(struct fx *f)
{
    return as_commit(&f->a, f->base + 2 * P, 300 * P, RW);
}

static SCODE op_commit_auto(struct fx *f)
{
    return as_commit(&f->a, f->base + 2 * P, 300 * P, RW | AS_COMMIT_AUTO);
}

static SCODE op_commit_zero(struct fx *f)
{
    return as_commit(&f->a, f->base + 2 * P, 300 * P, RW | AS_COMMIT_ALLOC_ZERO);
}

static SCODE op_commit_section(struct fx *f)
{
    return as_commit(&f->a, f->base + 8 * P, 0, RW | AS_COMMIT_ALLOC_ZERO);
}

static SCODE op_decommit(struct fx *f)
{
    return as_decommit(&f->a, f->base + 30 * P, 10 * P);
}

static SCODE op_protect(struct fx *f)
{
    return as_protect(&f->a, f->base + 30 * P, 10 * P, AS_PROT_READ);
}

static SCODE op_deallocate_across(struct fx *f)
{
    return as_deallocate(&f->a, f->base + 5 * P, 290 * P);
}

static SCODE op_deallocate_on_boundaries(struct fx *f)
{
    return as_deallocate(&f->a, f->base + 10 * P, 300 * P);
}

static SCODE op_allocate(struct fx *f)
{
    vaddr_t a = 0;
    SCODE sc = as_allocate(&f->a, &a, 300 * P, AS_ANYWHERE | RW | AS_RESERVE_SECTION);
    if (sc == S_OK) /* the clean-up is ours then */
        cr_assert_eq(as_deallocate(&f->a, a, 0), S_OK);
    return sc;
}

static SCODE op_map(struct fx *f)
{
    vaddr_t d = f->base + 100 * P;
    return as_map_range(&f->a, &d, 16 * P, RW | AS_MAP_COPY_ON_WRITE, &f->b, f->src_base);
}

static SCODE op_map_anywhere(struct fx *f)
{
    vaddr_t d = 0;
    SCODE sc = as_map_range(&f->a, &d, 16 * P, AS_PROT_READ | AS_ANYWHERE, &f->b, f->src_base);
    if (sc == S_OK)
        cr_assert_eq(as_deallocate(&f->a, d, 16 * P), S_OK);
    return sc;
}

static SCODE op_cow_fault(struct fx *f)
{
    return as_resolve_fault(&f->a, f->base + 103 * P + 5, AS_PROT_WRITE);
}

static SCODE op_autocommit_fault(struct fx *f)
{
    return as_resolve_fault(&f->a, f->base + 25 * P, AS_PROT_READ);
}

/* Every other page committed, then every fourth decommitted and
 * protected: each step splits; the first failure stops the sequence. */
static SCODE op_split_heavy(struct fx *f)
{
    SCODE sc = S_OK;
    for (size_t i = 0; i < 64 && sc == S_OK; i += 2)
        sc = as_commit(&f->a, f->base + i * P, P, RW | (i % 8 ? 0 : AS_COMMIT_AUTO));
    for (size_t i = 1; i < 64 && sc == S_OK; i += 4)
        sc = as_commit(&f->a, f->base + i * P, 2 * P, AS_PROT_READ);
    for (size_t i = 0; i < 64 && sc == S_OK; i += 8)
        sc = as_protect(&f->a, f->base + i * P, 3 * P, AS_PROT_READ);
    for (size_t i = 4; i < 64 && sc == S_OK; i += 8)
        sc = as_decommit(&f->a, f->base + i * P, 2 * P);
    return sc;
}

struct usage {
    size_t free_pages, heap_pages, heap_bytes;
};

/* Pages the policy counters say were handed out so far. */
static uint64_t pages_counted(void)
{
    struct vm_page_stats s;
    vm_get_page_stats(&s);
    return s.pages_zero_filled + s.pages_erased + s.pages_unerased;
}

static struct usage usage(void)
{
    struct pmem_stats s;
    pmem_get_stats(&s);
    return (struct usage){s.free_pages, vmtest_heap.pages, vmtest_heap.bytes};
}

/* Free what is left of a's reservation run by run (a failed Deallocate
 * may have freed part of it), then b's. */
static void clean_up(struct fx *f)
{
    if (f->section) {
        cr_assert_eq(as_deallocate(&f->a, f->base, 0), S_OK);
    } else {
        for (vaddr_t va = f->base; va < f->base + f->size;) {
            ADDR_REGION_INFO i;
            cr_assert_eq(as_query(&f->a, va, &i), S_OK);
            size_t n = i.Size < f->base + f->size - va ? i.Size : f->base + f->size - va;
            if (i.State != AS_STATE_FREE)
                cr_assert_eq(as_deallocate(&f->a, va, n), S_OK, "Deallocate cleans up");
            va += n;
        }
    }
    if (f->src_size)
        cr_assert_eq(as_deallocate(&f->b, f->src_base, f->src_size), S_OK);
}

/* One run with the k-th allocation failing (0: none); returns how many
 * allocations the operation made. */
static unsigned long run_once(const struct scenario *sc, unsigned long k)
{
    struct usage before = usage();
    struct fx f = {0};
    vmtest_as(&f.a, "a");
    vmtest_as(&f.b, "b");
    sc->setup(&f);
    uint64_t counted = pages_counted();
    size_t resident = f.a.resident_pages + f.b.resident_pages;
    vm_fail_allocation(k);
    SCODE r = sc->op(&f);
    unsigned long ran = vm_fail_allocation(0);
    if (sc->hands_out) /* a failed Commit's given-back pages were handed to nobody */
        cr_assert_eq(pages_counted() - counted, f.a.resident_pages + f.b.resident_pages - resident,
                     "%s, allocation %lu failing: %llu pages counted, %zu handed out", sc->name, k,
                     (unsigned long long)(pages_counted() - counted),
                     f.a.resident_pages + f.b.resident_pages - resident);
    if (k == 0 || ran < k) /* the operation did not get as far as allocation k */
        cr_assert_eq(r, S_OK, "%s: returns %#x without failures", sc->name, (unsigned)r);
    else
        cr_assert_eq(r, VM_E_NO_MEMORY, "%s: allocation %lu failed, it returned %#x", sc->name, k,
                     (unsigned)r);
    as_check(&f.a);
    as_check(&f.b);
    vm_check_vtlb(&f.a);
    vm_check_vtlb(&f.b);
    clean_up(&f);
    as_destroy(&f.a);
    as_destroy(&f.b);
    struct usage after = usage();
    cr_assert(after.free_pages == before.free_pages && after.heap_pages == before.heap_pages &&
                  after.heap_bytes == before.heap_bytes,
              "%s, allocation %lu failing: free pages %zu -> %zu, heap pages %zu -> %zu, "
              "heap bytes %zu -> %zu",
              sc->name, k, before.free_pages, after.free_pages, before.heap_pages, after.heap_pages,
              before.heap_bytes, after.heap_bytes);
    return ran;
}

/* at_least: the allocations the operation must make (a sanity check of
 * the scenario); a Deallocate that needs no split makes none, and then
 * must succeed even with a failure armed. */
static void run(const struct scenario *sc, unsigned long at_least)
{
    /* armed past any count (it counts only while armed): every
     * allocation counted, none failed */
    unsigned long count = run_once(sc, ULONG_MAX);
    cr_assert_geq(count, at_least, "%s: %lu allocations", sc->name, count);
    if (sc->deallocate && at_least == 0) {
        cr_assert_eq(count, 0, "%s: a Deallocate on node boundaries splits nothing", sc->name);
        run_once(sc, 1);
    }
    for (unsigned long k = 1; k <= count; k++)
        run_once(sc, k);
}

#define SCENARIO(fn, setup_fn, min_allocs, ...) /* ...: .deallocate = true */                      \
    Test(vm_inject, fn)                                                                            \
    {                                                                                              \
        run(&(struct scenario){.name = #fn, .setup = setup_fn, .op = op_##fn, __VA_ARGS__},        \
            min_allocs);                                                                           \
    }

SCENARIO(reserve, setup_reserved, 1)
SCENARIO(reserve_section, setup_reserved, 2)
SCENARIO(commit_plain, setup_reserved, 300, .hands_out = true)
SCENARIO(commit_auto, setup_reserved, 4, .hands_out = true)
SCENARIO(commit_zero, setup_reserved, 300, .hands_out = true)
SCENARIO(commit_section, setup_section, 56, .hands_out = true)
SCENARIO(decommit, setup_committed, 2)
SCENARIO(protect, setup_committed, 2)
SCENARIO(deallocate_across, setup_two_nodes, 2, .deallocate = true)
SCENARIO(deallocate_on_boundaries, setup_two_nodes, 0, .deallocate = true)
SCENARIO(allocate, setup_reserved, 300)
SCENARIO(map, setup_source, 3)
SCENARIO(map_anywhere, setup_source, 3)
SCENARIO(cow_fault, setup_cow_mapping, 1)
SCENARIO(autocommit_fault, setup_auto, 1, .hands_out = true)
SCENARIO(split_heavy, setup_reserved, 64)
