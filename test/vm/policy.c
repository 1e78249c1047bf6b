/* The physical memory policy of paper section 2.1 (see <kernel/vm/vm.h>):
 * erased but not zeroed by default, zeros on request, and pages freed
 * with dealloc-no-erase reused unerased; with the counters that measure
 * it. */
#include "vmtest.h"

#include <criterion/criterion.h>

TestSuite(vm_policy, .init = vmtest_init, .fini = vmtest_fini);

static struct vm_page_stats stats(void)
{
    struct vm_page_stats s;
    vm_get_page_stats(&s);
    return s;
}

static vaddr_t allocate(struct as *as, size_t pages, uint32_t flags)
{
    vaddr_t a = 0;
    cr_assert_eq(as_allocate(as, &a, pages * P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | flags),
                 S_OK);
    return a;
}

static void fill(struct as *as, vaddr_t a, size_t pages, uint8_t v)
{
    for (size_t i = 0; i < pages; i++)
        vm_write8(as, a + i * P + 100, v);
}

Test(vm_policy, alloc_zero_reads_zero)
{
    struct as as;
    vmtest_as(&as, "t");
    struct vm_page_stats before = stats();
    vaddr_t a = allocate(&as, 8, AS_COMMIT_ALLOC_ZERO);
    for (size_t i = 0; i < 8 * P; i += 511)
        cr_assert_eq(vm_read8(&as, a + i), 0, "byte %zu", i);
    cr_expect_eq(stats().pages_zero_filled - before.pages_zero_filled, 8);
    as_destroy(&as);
}

Test(vm_policy, default_commit_is_erased_not_zeroed)
{
    struct as as;
    vmtest_as(&as, "t");
    struct vm_page_stats before = stats();
    vaddr_t a = allocate(&as, 4, 0);
    for (size_t i = 0; i < 4 * P; i += 97)
        cr_assert_eq(vm_read8(&as, a + i), VM_ERASE_PATTERN, "byte %zu", i);
    cr_expect_eq(stats().pages_erased - before.pages_erased, 4);
    cr_expect_eq(stats().pages_zero_filled, before.pages_zero_filled);
    as_destroy(&as);
}

/* A page freed normally is erased before anyone else sees it, even when
 * it is the very next page handed out. */
Test(vm_policy, no_data_crosses_between_spaces)
{
    struct as a, b;
    vmtest_as(&a, "a");
    vmtest_as(&b, "b");
    vaddr_t va = allocate(&a, 16, 0);
    fill(&a, va, 16, 0x77);
    cr_assert_eq(as_deallocate(&a, va, 16 * P), S_OK);
    vaddr_t vb = allocate(&b, 16, 0);
    for (size_t i = 0; i < 16; i++)
        cr_assert_neq(vm_read8(&b, vb + i * P + 100), 0x77, "page %zu leaked a's data", i);
    as_destroy(&a);
    as_destroy(&b);
}

/* Pages whose owner said dealloc-no-erase go to the next commit that does
 * not need zeros, unerased; a commit that needs zeros still gets zeros. */
Test(vm_policy, noerase_pages_are_reused_unerased)
{
    struct as a, b;
    vmtest_as(&a, "loader");
    vmtest_as(&b, "process");
    vaddr_t code = allocate(&a, 6, AS_COMMIT_DEALLOC_NO_ERASE);
    fill(&a, code, 6, 0xc0);
    struct vm_page_stats before = stats();
    cr_assert_eq(as_deallocate(&a, code, 6 * P), S_OK);
    cr_expect_eq(stats().pages_freed_noerase - before.pages_freed_noerase, 6);

    vaddr_t plain = allocate(&b, 4, 0);
    struct vm_page_stats after = stats();
    cr_expect_eq(after.pages_unerased - before.pages_unerased, 4);
    cr_expect_eq(after.pages_erased, before.pages_erased, "no erasure was needed");
    for (size_t i = 0; i < 4; i++)
        cr_expect_eq(vm_read8(&b, plain + i * P + 100), 0xc0, "handed over as it was");

    vaddr_t zeroed = allocate(&b, 2, AS_COMMIT_ALLOC_ZERO);
    for (size_t i = 0; i < 2; i++)
        cr_expect_eq(vm_read8(&b, zeroed + i * P + 100), 0, "alloc-zero still gets zeros");
    as_destroy(&a);
    as_destroy(&b);
}

/* The paper's figure: the share of pages that needed no zero-fill or
 * erasure. A loader-like cycle of code pages freed no-erase and data
 * pages committed plainly gets a measurable saving. */
Test(vm_policy, counters_measure_the_saving)
{
    struct as loader, app;
    vmtest_as(&loader, "loader");
    vmtest_as(&app, "app");
    struct vm_page_stats s0 = stats();
    for (int round = 0; round < 5; round++) {
        vaddr_t code = allocate(&loader, 8, AS_COMMIT_DEALLOC_NO_ERASE);
        vaddr_t data = allocate(&app, 8, 0);
        vaddr_t bss = allocate(&app, 4, AS_COMMIT_ALLOC_ZERO);
        cr_assert_eq(as_deallocate(&loader, code, 8 * P), S_OK);
        cr_assert_eq(as_deallocate(&app, data, 8 * P), S_OK);
        cr_assert_eq(as_deallocate(&app, bss, 4 * P), S_OK);
    }
    struct vm_page_stats s1 = stats();
    uint64_t zero = s1.pages_zero_filled - s0.pages_zero_filled;
    uint64_t erased = s1.pages_erased - s0.pages_erased;
    uint64_t unerased = s1.pages_unerased - s0.pages_unerased;
    cr_log_info("zero-filled %llu, erased %llu, unerased %llu", (unsigned long long)zero,
                (unsigned long long)erased, (unsigned long long)unerased);
    cr_expect_eq(zero + erased + unerased, 5 * 20, "every committed page is counted once");
    cr_expect_eq(zero, 5 * 4);
    cr_expect_gt(unerased, 0, "the no-erase pages were reused");
    as_destroy(&loader);
    as_destroy(&app);
}

/* Pages the policy counters say were handed out so far. */
static uint64_t pages_counted(void)
{
    struct vm_page_stats s = stats();
    return s.pages_zero_filled + s.pages_erased + s.pages_unerased;
}

/* The counters count pages handed out: a Commit that runs out of memory
 * in its second node keeps the first node's pages and gives the second's
 * back, and only the kept ones count, whichever kind they were. */
Test(vm_policy, a_failed_commit_counts_only_the_pages_it_kept)
{
    static const uint32_t kinds[] = {0, AS_COMMIT_ALLOC_ZERO, AS_COMMIT_DEALLOC_NO_ERASE};
    struct as a, loader;
    vmtest_as(&a, "a");
    vmtest_as(&loader, "loader");
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        /* 300 pages freed no-erase, so a plain commit takes unerased pages too */
        vaddr_t code = allocate(&loader, 300, AS_COMMIT_DEALLOC_NO_ERASE);
        cr_assert_eq(as_deallocate(&loader, code, 300 * P), S_OK);
        vaddr_t va = 0;
        cr_assert_eq(as_reserve(&a, &va, 300 * P, AS_ANYWHERE), S_OK);
        uint64_t counted = pages_counted();
        size_t resident = a.resident_pages;
        vm_fail_allocation(290); /* a page of the second node (pages 257..300) */
        SCODE sc = as_commit(&a, va, 300 * P, AS_PROT_READ | AS_PROT_WRITE | kinds[i]);
        vm_fail_allocation(0);
        cr_assert_eq(sc, VM_E_NO_MEMORY);
        size_t kept = a.resident_pages - resident;
        cr_expect_eq(kept, VM_NODE_MAX_PAGES, "the first node stays committed");
        cr_expect_eq(pages_counted() - counted, kept, "flags %#x: %llu counted, %zu kept",
                     (unsigned)kinds[i], (unsigned long long)(pages_counted() - counted), kept);
        cr_assert_eq(as_deallocate(&a, va, 300 * P), S_OK);
    }
    as_destroy(&a);
    as_destroy(&loader);
}

/* A no-erase page reaches the next plain commit with every byte as its
 * owner left it, its first word included (the page allocator links its
 * no-erase stack outside the pages). */
Test(vm_policy, noerase_page_is_handed_over_whole)
{
    struct as a, b;
    vmtest_as(&a, "loader");
    vmtest_as(&b, "process");
    vaddr_t code = allocate(&a, 1, AS_COMMIT_DEALLOC_NO_ERASE);
    for (size_t i = 0; i < P; i++)
        vm_write8(&a, code + i, (uint8_t)(i * 7 + 1));
    cr_assert_eq(as_deallocate(&a, code, P), S_OK);
    vaddr_t plain = allocate(&b, 1, 0);
    size_t i = 0;
    while (i < P && vm_read8(&b, plain + i) == (uint8_t)(i * 7 + 1))
        i++;
    cr_expect_eq(i, P, "byte %zu is not the old owner's", i);
    as_destroy(&a);
    as_destroy(&b);
}
