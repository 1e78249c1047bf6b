/* The physical page allocator, over a buffer standing in for physical
 * memory (test/doubles): ranges and holes, reservations, exhaustion, reuse,
 * counters, and the panics on bad frees. */
#include <criterion/criterion.h>
#include <kernel/vm/pmem.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define MEM_SIZE (4u << 20) /* 4 MiB of fake physical memory */

static void setup(void)
{
    host_phys_mem = aligned_alloc(PAGE_SIZE, MEM_SIZE);
    cr_assert_not_null(host_phys_mem);
    memset(host_phys_mem, 0xcc, MEM_SIZE);
}

static void teardown(void)
{
    free(host_phys_mem);
}

TestSuite(unit_pmem, .init = setup, .fini = teardown);

static bool in_range(paddr_t p, paddr_t base, paddr_t size)
{
    return p >= base && p < base + size;
}

Test(unit_pmem, hands_out_every_usable_page_once)
{
    /* two ranges with a hole, one reservation inside the first */
    struct mem_range usable[] = {{0x1000, 0x100000}, {0x200000, 0x80000}};
    struct mem_range reserved[] = {{0x10000, 0x8000}};
    size_t nfree = pmem_init(usable, 2, reserved, 1);
    struct pmem_stats s;
    pmem_get_stats(&s);
    size_t usable_pages = (0x100000 + 0x80000) / PAGE_SIZE;
    cr_expect_eq(s.free_pages, nfree);
    cr_expect_eq(s.total_pages, nfree);
    /* the reservation (8 pages) and the bitmaps (1 page) are not free */
    cr_expect_eq(s.reserved_pages, 8 + 1);
    cr_expect_eq(nfree, usable_pages - 9);

    unsigned char *seen = calloc(MEM_SIZE / PAGE_SIZE, 1);
    for (size_t i = 0; i < nfree; i++) {
        paddr_t p = pmem_alloc();
        cr_assert_neq(p, PADDR_NONE, "page %zu of %zu", i, nfree);
        cr_assert_eq(p % PAGE_SIZE, 0);
        cr_assert(in_range(p, 0x1000, 0x100000) || in_range(p, 0x200000, 0x80000), "%#lx",
                  (unsigned long)p);
        cr_assert_not(in_range(p, 0x10000, 0x8000), "reserved page %#lx handed out",
                      (unsigned long)p);
        cr_assert_not(seen[p / PAGE_SIZE], "page %#lx handed out twice", (unsigned long)p);
        seen[p / PAGE_SIZE] = 1;
        memset(phys_to_virt(p), 0xab, PAGE_SIZE); /* the page is really ours */
    }
    cr_expect_eq(pmem_alloc(), PADDR_NONE);
    pmem_get_stats(&s);
    cr_expect_eq(s.free_pages, 0);
    cr_expect_eq(s.failures, 1);
    cr_expect_eq(s.allocs, nfree);
    free(seen);
}

Test(unit_pmem, freed_pages_come_back)
{
    struct mem_range usable[] = {{0, 64 * PAGE_SIZE}};
    size_t n = pmem_init(usable, 1, NULL, 0);
    cr_assert_eq(n, 63, "one page holds the bitmaps");
    paddr_t pages[63];
    for (size_t i = 0; i < n; i++)
        pages[i] = pmem_alloc();
    cr_expect_eq(pmem_alloc(), PADDR_NONE);
    pmem_free(pages[10]);
    pmem_free(pages[40]);
    paddr_t a = pmem_alloc(), b = pmem_alloc();
    cr_expect((a == pages[10] && b == pages[40]) || (a == pages[40] && b == pages[10]));
    cr_expect_eq(pmem_alloc(), PADDR_NONE);
    for (size_t i = 0; i < n; i++)
        pmem_free(pages[i]);
    struct pmem_stats s;
    pmem_get_stats(&s);
    cr_expect_eq(s.free_pages, n);
    cr_expect_eq(s.frees, n + 2);
}

Test(unit_pmem, unaligned_ranges_shrink_and_reservations_grow)
{
    struct mem_range usable[] = {{0x800, 8 * PAGE_SIZE}};   /* pages 1..7 whole */
    struct mem_range reserved[] = {{3 * PAGE_SIZE + 1, 2}}; /* touches page 3 only */
    size_t n = pmem_init(usable, 1, reserved, 1);
    /* pages 1-7 (7), minus page 3, minus one page of bitmaps */
    cr_expect_eq(n, 5);
    for (size_t i = 0; i < n; i++) {
        paddr_t p = pmem_alloc();
        cr_expect(p >= PAGE_SIZE && p < 8 * PAGE_SIZE && p != 3 * PAGE_SIZE, "%#lx",
                  (unsigned long)p);
    }
}

Test(unit_pmem, double_free_panics, .signal = SIGABRT)
{
    struct mem_range usable[] = {{0, 16 * PAGE_SIZE}};
    pmem_init(usable, 1, NULL, 0);
    paddr_t p = pmem_alloc();
    pmem_free(p);
    pmem_free(p);
}

Test(unit_pmem, freeing_a_reserved_page_panics, .signal = SIGABRT)
{
    struct mem_range usable[] = {{0, 16 * PAGE_SIZE}};
    struct mem_range reserved[] = {{4 * PAGE_SIZE, PAGE_SIZE}};
    pmem_init(usable, 1, reserved, 1);
    pmem_alloc(); /* something allocated, so the counters alone cannot tell */
    pmem_free(4 * PAGE_SIZE);
}

Test(unit_pmem, freeing_an_unmanaged_address_panics, .signal = SIGABRT)
{
    struct mem_range usable[] = {{0, 16 * PAGE_SIZE}};
    pmem_init(usable, 1, NULL, 0);
    pmem_free(64 * PAGE_SIZE);
}

Test(unit_pmem, freeing_a_misaligned_address_panics, .signal = SIGABRT)
{
    struct mem_range usable[] = {{0, 16 * PAGE_SIZE}};
    pmem_init(usable, 1, NULL, 0);
    pmem_free(pmem_alloc() + 8);
}

Test(unit_pmem, no_usable_memory_panics, .signal = SIGABRT)
{
    struct mem_range usable[] = {{0x100, 0x200}}; /* no whole page */
    pmem_init(usable, 1, NULL, 0);
}

Test(unit_pmem, noerase_pages_wait_apart_and_are_preferred_on_request)
{
    struct mem_range usable[] = {{0, 16 * PAGE_SIZE}};
    size_t n = pmem_init(usable, 1, NULL, 0);
    paddr_t a = pmem_alloc(), b = pmem_alloc();
    pmem_free_noerase(a);
    pmem_free_noerase(b);
    struct pmem_stats s;
    pmem_get_stats(&s);
    cr_expect_eq(s.noerase_pages, 2);
    cr_expect_eq(s.free_pages, n, "no-erase pages count as free");

    bool unerased;
    paddr_t p = pmem_alloc_page(false, &unerased);
    cr_expect(!unerased && p != a && p != b, "a plain allocation leaves them for last");
    pmem_free(p);
    cr_expect_eq(pmem_alloc_page(true, &unerased), b, "last freed first");
    cr_expect(unerased);
    cr_expect_eq(pmem_alloc_page(true, &unerased), a);
    cr_expect(unerased);
    p = pmem_alloc_page(true, &unerased);
    cr_expect(!unerased && p != PADDR_NONE, "then ordinary pages");
    pmem_get_stats(&s);
    cr_expect_eq(s.noerase_pages, 0);
}

static void fill_words(paddr_t page, uint32_t seed)
{
    uint32_t *w = phys_to_virt(page);
    for (size_t i = 0; i < PAGE_SIZE / sizeof *w; i++)
        w[i] = seed ^ (uint32_t)(i * 0x9e3779b9u);
}

/* The index of the first word of page that fill_words(page, seed) did not
 * write, or PAGE_SIZE / 4 if every word is as it wrote it. */
static size_t first_changed_word(paddr_t page, uint32_t seed)
{
    const uint32_t *w = phys_to_virt(page);
    size_t i = 0;
    while (i < PAGE_SIZE / sizeof *w && w[i] == (seed ^ (uint32_t)(i * 0x9e3779b9u)))
        i++;
    return i;
}

/* A no-erase page reaches its next owner exactly as its last owner left
 * it: the allocator keeps its stack outside the pages, so not even the
 * first word carries a link (a kernel physical address) to the next one. */
Test(unit_pmem, noerase_pages_come_back_with_every_word_as_left)
{
    struct mem_range usable[] = {{0, 16 * PAGE_SIZE}};
    pmem_init(usable, 1, NULL, 0);
    paddr_t a = pmem_alloc(), b = pmem_alloc();
    fill_words(a, 0x11111111u);
    fill_words(b, 0x22222222u);
    pmem_free_noerase(a);
    pmem_free_noerase(b);
    bool unerased;
    cr_assert_eq(pmem_alloc_page(true, &unerased), b);
    cr_assert_eq(pmem_alloc_page(true, &unerased), a);
    cr_expect_eq(first_changed_word(b, 0x22222222u), PAGE_SIZE / 4, "b's word %zu changed",
                 first_changed_word(b, 0x22222222u));
    cr_expect_eq(first_changed_word(a, 0x11111111u), PAGE_SIZE / 4, "a's word %zu changed",
                 first_changed_word(a, 0x11111111u));
}

/* The stack has a slot for every frame: all of them can wait there at once. */
Test(unit_pmem, every_page_can_be_parked_at_once)
{
    struct mem_range usable[] = {{0, 64 * PAGE_SIZE}};
    size_t n = pmem_init(usable, 1, NULL, 0);
    paddr_t pages[64];
    for (size_t i = 0; i < n; i++) {
        pages[i] = pmem_alloc();
        fill_words(pages[i], (uint32_t)i);
    }
    for (size_t i = 0; i < n; i++)
        pmem_free_noerase(pages[i]);
    struct pmem_stats s;
    pmem_get_stats(&s);
    cr_expect_eq(s.noerase_pages, n);
    for (size_t i = n; i-- > 0;) {
        bool unerased;
        cr_assert_eq(pmem_alloc_page(false, &unerased), pages[i], "last freed first");
        cr_expect(unerased);
        cr_expect_eq(first_changed_word(pages[i], (uint32_t)i), PAGE_SIZE / 4);
    }
    cr_expect_eq(pmem_alloc(), PADDR_NONE);
}

Test(unit_pmem, noerase_pages_are_used_when_nothing_else_is_left)
{
    struct mem_range usable[] = {{0, 8 * PAGE_SIZE}};
    size_t n = pmem_init(usable, 1, NULL, 0);
    paddr_t pages[8];
    for (size_t i = 0; i < n; i++)
        pages[i] = pmem_alloc();
    pmem_free_noerase(pages[3]);
    bool unerased;
    cr_expect_eq(pmem_alloc_page(false, &unerased), pages[3]);
    cr_expect(unerased);
    cr_expect_eq(pmem_alloc(), PADDR_NONE);
}

Test(unit_pmem, double_free_of_a_noerase_page_panics, .signal = SIGABRT)
{
    struct mem_range usable[] = {{0, 16 * PAGE_SIZE}};
    pmem_init(usable, 1, NULL, 0);
    paddr_t p = pmem_alloc();
    pmem_free_noerase(p);
    pmem_free(p);
}

Test(unit_pmem, runs_are_contiguous_and_skip_taken_pages)
{
    struct mem_range usable[] = {{0, 32 * PAGE_SIZE}};
    size_t n = pmem_init(usable, 1, NULL, 0);
    paddr_t single = pmem_alloc(); /* page 1, after the bitmap page */
    paddr_t run = pmem_alloc_run(4);
    cr_assert_neq(run, PADDR_NONE);
    cr_expect_gt(run, single);
    paddr_t next = pmem_alloc();
    cr_expect(next < run || next >= run + 4 * PAGE_SIZE, "a run's pages are taken");
    cr_expect_eq(pmem_alloc_run(64), PADDR_NONE);
    pmem_free_run(run, 4);
    pmem_free(next);
    pmem_free(single);
    struct pmem_stats s;
    pmem_get_stats(&s);
    cr_expect_eq(s.free_pages, n);
}

/* Runs are searched from where the last one ended (next fit), and the
 * search wraps around to frames freed below. */
Test(unit_pmem, run_search_wraps_around_to_freed_frames)
{
    struct mem_range usable[] = {{0, 32 * PAGE_SIZE}};
    size_t n = pmem_init(usable, 1, NULL, 0);
    paddr_t runs[8];
    int taken = 0;
    while (taken < 8 && (runs[taken] = pmem_alloc_run(4)) != PADDR_NONE)
        taken++;
    cr_assert_gt(taken, 2, "several runs fit");
    cr_expect_eq(pmem_alloc_run(4), PADDR_NONE, "memory is full of runs");
    pmem_free_run(runs[0], 4);
    paddr_t again = pmem_alloc_run(4);
    cr_expect_eq(again, runs[0], "the freed run below the last one is found");
    runs[0] = again;
    for (int i = 0; i < taken; i++)
        pmem_free_run(runs[i], 4);
    struct pmem_stats s;
    pmem_get_stats(&s);
    cr_expect_eq(s.free_pages, n);
}
