/* Fault resolution: auto-commit pages appear on first touch, and
 * copy-on-write mappings are asymmetric (paper 2.2): the mapper's writes
 * are private, the source's writes stay visible to the mapper until the
 * mapper writes that page. Mappings follow their source. */
#include "vmtest.h"

#include <criterion/criterion.h>

TestSuite(vm_fault, .init = vmtest_init, .fini = vmtest_fini);

Test(vm_fault, autocommit_pages_appear_on_first_touch)
{
    struct as as;
    vmtest_as(&as, "stack");
    vaddr_t a = 0;
    size_t free0 = vm_free_pages();
    cr_assert_eq(
        as_allocate(&as, &a, 32 * P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO),
        S_OK);
    cr_expect_eq(as.resident_pages, 0);
    cr_expect_eq(vm_free_pages(), free0, "no page before the first touch");
    struct vtlb_mapping m;
    cr_expect_eq(vtlb_miss(&as, a + 5 * P, AS_PROT_READ, &m), VTLB_AUTOCOMMIT_FAULT);
    vm_write8(&as, a + 5 * P + 1, 3);
    cr_expect_eq(as.resident_pages, 1);
    cr_expect_eq(vm_read8(&as, a + 5 * P + 1), 3);
    cr_expect_eq(vm_read8(&as, a + 31 * P), VM_ERASE_PATTERN, "erased, like any commit");
    cr_expect_eq(as.resident_pages, 2);
    struct vm_page_stats s;
    vm_get_page_stats(&s);
    cr_expect_geq(s.autocommit_pages, 2);
    as_check(&as);
    cr_assert_eq(as_decommit(&as, a, 32 * P), S_OK);
    cr_expect_eq(as.resident_pages, 0);
    as_destroy(&as);
    cr_expect_eq(vm_free_pages(), free0);
}

Test(vm_fault, autocommit_alloc_zero_reads_zero)
{
    struct as as;
    vmtest_as(&as, "t");
    vaddr_t a = 0;
    cr_assert_eq(as_allocate(&as, &a, 4 * P,
                             AS_ANYWHERE | AS_PROT_READ | AS_COMMIT_AUTO | AS_COMMIT_ALLOC_ZERO),
                 S_OK);
    cr_expect_eq(vm_read8(&as, a + 2 * P + 9), 0);
    as_destroy(&as);
}

/* Source a, mapper b with a copy-on-write view of a's region. */
struct cow {
    struct as a, b;
    vaddr_t va, vb;
};

static void cow_setup(struct cow *c, size_t pages)
{
    vmtest_as(&c->a, "source");
    vmtest_as(&c->b, "mapper");
    c->va = 0;
    cr_assert_eq(as_allocate(&c->a, &c->va, pages * P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE),
                 S_OK);
    for (size_t i = 0; i < pages; i++)
        vm_write8(&c->a, c->va + i * P, (uint8_t)(0x10 + i));
    c->vb = 0;
    cr_assert_eq(as_map_range(&c->b, &c->vb, pages * P,
                              AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_MAP_COPY_ON_WRITE,
                              &c->a, c->va),
                 S_OK);
}

Test(vm_fault, cow_is_asymmetric)
{
    struct cow c;
    cow_setup(&c, 4);
    ADDR_REGION_INFO info;
    cr_assert_eq(as_query(&c.b, c.vb, &info), S_OK);
    cr_expect_eq(info.Type, AS_TYPE_MAPPED);
    cr_expect_eq(vm_read8(&c.b, c.vb + P), 0x11, "the mapping shows the source");
    /* the source writes: the mapper sees it */
    vm_write8(&c.a, c.va + P, 0x99);
    cr_expect_eq(vm_read8(&c.b, c.vb + P), 0x99);
    /* the mapper writes: a private copy, the source keeps its page */
    size_t resident = c.b.resident_pages;
    vm_write8(&c.b, c.vb + P, 0x42);
    cr_expect_eq(c.b.resident_pages, resident + 1);
    cr_expect_eq(vm_read8(&c.b, c.vb + P), 0x42);
    cr_expect_eq(vm_read8(&c.a, c.va + P), 0x99, "the source does not see the mapper's write");
    /* and from now on the source's writes to that page stay hidden */
    vm_write8(&c.a, c.va + P, 0x55);
    cr_expect_eq(vm_read8(&c.b, c.vb + P), 0x42);
    cr_expect_eq(vm_read8(&c.b, c.vb + 2 * P), 0x12, "other pages still show the source");
    struct vm_page_stats s;
    vm_get_page_stats(&s);
    cr_expect_geq(s.cow_copies, 1);
    vm_check_vtlb(&c.a);
    vm_check_vtlb(&c.b);
    as_check(&c.a);
    as_check(&c.b);
    as_destroy(&c.b);
    as_destroy(&c.a);
}

Test(vm_fault, mappings_follow_their_source)
{
    struct cow c;
    cow_setup(&c, 4);
    cr_expect_eq(vm_read8(&c.b, c.vb + 3 * P), 0x13); /* now cached in the VTLB */
    cr_assert_eq(as_decommit(&c.a, c.va + 3 * P, P), S_OK);
    struct access x = vm_access(&c.b, c.vb + 3 * P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_SOURCE_INVALID,
              "a decommitted source page is gone from the mapping at once");
    cr_assert_eq(as_protect(&c.a, c.va, P, AS_PROT_NONE), S_OK);
    x = vm_access(&c.b, c.vb, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_SOURCE_INVALID, "an unreadable source page too");
    vm_check_vtlb(&c.b);
    as_destroy(&c.a);
    x = vm_access(&c.b, c.vb + P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_SOURCE_INVALID, "a destroyed source");
    as_check(&c.b);
    as_destroy(&c.b);
}

Test(vm_fault, shared_mapping_writes_reach_the_source)
{
    struct as a, b;
    vmtest_as(&a, "a");
    vmtest_as(&b, "b");
    vaddr_t va = 0, vb = 0;
    cr_assert_eq(as_allocate(&a, &va, 2 * P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    cr_assert_eq(as_map_range(&b, &vb, 2 * P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE, &a, va),
                 S_OK);
    vm_write8(&b, vb + 10, 0x33);
    cr_expect_eq(vm_read8(&a, va + 10), 0x33);
    cr_expect_eq(b.resident_pages, 0, "no copy for a shared mapping");
    as_destroy(&b);
    as_destroy(&a);
}

Test(vm_fault, mapping_an_autocommit_source_commits_it_there)
{
    struct as a, b;
    vmtest_as(&a, "a");
    vmtest_as(&b, "b");
    vaddr_t va = 0, vb = 0;
    cr_assert_eq(as_allocate(&a, &va, 2 * P,
                             AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO |
                                 AS_COMMIT_ALLOC_ZERO),
                 S_OK);
    cr_assert_eq(as_map_range(&b, &vb, 2 * P, AS_ANYWHERE | AS_PROT_READ, &a, va), S_OK);
    cr_expect_eq(vm_read8(&b, vb + P), 0);
    cr_expect_eq(a.resident_pages, 1, "the source's page was committed on the mapper's touch");
    struct access x = vm_access(&b, vb, AS_PROT_WRITE);
    cr_expect(!x.ok && x.reason == VMX_PROTECTION, "a read-only view");
    as_destroy(&b);
    as_destroy(&a);
}

Test(vm_fault, map_range_argument_errors)
{
    struct as a, b;
    vmtest_as(&a, "a");
    vmtest_as(&b, "b");
    vaddr_t vb = 0;
    cr_expect_eq(as_map_range(&b, &vb, P, AS_ANYWHERE | AS_PROT_READ, &b, VMTEST_LO),
                 VM_E_BAD_SOURCE, "a space cannot map itself");
    cr_expect_eq(as_map_range(&b, &vb, P, AS_ANYWHERE | AS_PROT_READ, &a, VMTEST_LO + 1),
                 VM_E_BAD_SOURCE);
    cr_expect_eq(as_map_range(&b, &vb, P, AS_ANYWHERE | AS_PROT_READ, &a, VMTEST_HI),
                 VM_E_BAD_SOURCE);
    cr_expect_eq(as_map_range(&b, &vb, P, AS_ANYWHERE | AS_COMMIT_AUTO, &a, VMTEST_LO),
                 VM_E_BAD_FLAGS);
    vb = 0x100000;
    cr_expect_eq(as_map_range(&b, &vb, P, AS_PROT_READ, &a, VMTEST_LO), VM_E_NOT_RESERVED);
    cr_assert_eq(as_allocate(&b, &vb, P, AS_PROT_READ), S_OK);
    cr_expect_eq(as_map_range(&b, &vb, P, AS_PROT_READ, &a, VMTEST_LO), VM_E_IN_USE);
    as_check(&b);
    as_destroy(&b);
    as_destroy(&a);
}

/* Guard pages (AS_PROT_GUARD, Win32's PAGE_GUARD): any first access
 * raises VMX_GUARD, before the protection is looked at; as_clear_guard
 * (what the fault path calls) clears that one page's guard, and the
 * retried access finds the page's own protection. Query reports it. */
Test(vm_fault, a_guard_page_raises_once_and_only_its_guard_goes)
{
    struct as as;
    vmtest_as(&as, "guard");
    vaddr_t a = 0;
    const uint32_t rw = AS_PROT_READ | AS_PROT_WRITE;
    cr_assert_eq(as_allocate(&as, &a, 4 * P, AS_ANYWHERE | rw | AS_PROT_GUARD), S_OK);
    ADDR_REGION_INFO info;
    cr_assert_eq(as_query(&as, a, &info), S_OK);
    cr_expect_eq(info.Prot, rw | AS_PROT_GUARD, "Query reports the guard");
    cr_expect_eq(info.Size, 4 * P);
    struct access x = vm_access(&as, a + P + 8, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_GUARD, "a read of a guard page raises");
    x = vm_access(&as, a + P, AS_PROT_WRITE);
    cr_expect(!x.ok && x.reason == VMX_GUARD, "so does a write");
    cr_expect_eq(as_clear_guard(&as, a + P + 8), S_OK);
    cr_expect_eq(as_clear_guard(&as, a + P), S_FALSE, "once");
    vm_write8(&as, a + P + 8, 7);
    cr_expect_eq(vm_read8(&as, a + P + 8), 7, "the retry finds the page's own protection");
    cr_assert_eq(as_query(&as, a + P, &info), S_OK);
    cr_expect(info.Prot == rw && info.Base == a + P && info.Size == P, "only that page's guard");
    cr_assert_eq(as_query(&as, a, &info), S_OK);
    cr_expect(info.Prot == (rw | AS_PROT_GUARD) && info.Size == P);
    cr_assert_eq(as_query(&as, a + 2 * P, &info), S_OK);
    cr_expect(info.Prot == (rw | AS_PROT_GUARD) && info.Size == 2 * P);
    x = vm_access(&as, a + 2 * P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_GUARD, "the next page keeps its guard");
    /* the split the clearing needs may fail: the guard stays */
    vm_fail_allocation(1);
    cr_expect_eq(as_clear_guard(&as, a + 2 * P), VM_E_NO_MEMORY);
    vm_fail_allocation(0);
    x = vm_access(&as, a + 2 * P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_GUARD, "still guarded");
    cr_expect_eq(as_clear_guard(&as, a + 3 * P), S_OK, "the last page needs no split");
    cr_expect_eq(vm_access(&as, a + 3 * P, AS_PROT_READ).ok, true);
    /* a guard before the protection: a read-only guard page's write */
    cr_assert_eq(as_protect(&as, a + P, P, AS_PROT_READ | AS_PROT_GUARD), S_OK);
    cr_assert_eq(as_query(&as, a + P, &info), S_OK);
    cr_expect_eq(info.Prot, AS_PROT_READ | AS_PROT_GUARD, "Protect sets it again");
    x = vm_access(&as, a + P, AS_PROT_WRITE);
    cr_expect(!x.ok && x.reason == VMX_GUARD, "the guard is raised first");
    cr_expect_eq(as_clear_guard(&as, a + P), S_OK);
    x = vm_access(&as, a + P, AS_PROT_WRITE);
    cr_expect(!x.ok && x.reason == VMX_PROTECTION, "then the protection");
    cr_expect_eq(vm_read8(&as, a + P + 8), 7, "contents kept");
    /* no guard to clear elsewhere */
    cr_expect_eq(as_clear_guard(&as, a), S_OK);
    cr_expect_eq(as_clear_guard(&as, a), S_FALSE, "a committed page without one");
    cr_expect_eq(as_clear_guard(&as, VMTEST_LO), S_FALSE, "a free page");
    vm_check_vtlb(&as);
    as_check(&as);
    as_destroy(&as);
}

/* Guard pages: Commit, Protect and Allocate take AS_PROT_GUARD with some
 * access; alone it is an invalid protection; Map does not take it, and a
 * view does not see its source's guard. An auto-commit page's guard goes
 * before its page comes. */
Test(vm_fault, guard_combinations)
{
    struct as as, b;
    vmtest_as(&as, "guard");
    vmtest_as(&b, "view");
    vaddr_t a = 0, v = 0;
    cr_expect_eq(as_allocate(&as, &a, P, AS_ANYWHERE | AS_PROT_GUARD), VM_E_BAD_PROT);
    cr_assert_eq(as_reserve(&as, &a, 4 * P, AS_ANYWHERE), S_OK);
    cr_expect_eq(as_commit(&as, a, P, AS_PROT_GUARD), VM_E_BAD_PROT);
    cr_expect_eq(as_commit(&as, a, P, AS_PROT_GUARD | 0x10), VM_E_BAD_FLAGS);
    cr_expect_eq(as_commit(&as, a, P, AS_PROT_WRITE | AS_PROT_GUARD), VM_E_BAD_PROT);
    cr_assert_eq(as_commit(&as, a, 2 * P, AS_PROT_EXECUTE | AS_PROT_GUARD | AS_COMMIT_AUTO), S_OK);
    ADDR_REGION_INFO info;
    cr_assert_eq(as_query(&as, a, &info), S_OK);
    cr_expect_eq(info.Prot, AS_PROT_EXECUTE | AS_PROT_GUARD);
    cr_expect_eq(as_protect(&as, a, P, AS_PROT_GUARD), VM_E_BAD_PROT);
    cr_expect_eq(as_protect(&as, a, P, AS_PROT_READ | AS_PROT_GUARD | 0x10), VM_E_BAD_FLAGS);
    cr_assert_eq(as_query(&as, a, &info), S_OK);
    cr_expect_eq(info.Prot, AS_PROT_EXECUTE | AS_PROT_GUARD, "refusals change nothing");
    cr_expect_eq(as_protect(&as, a + 2 * P, P, AS_PROT_READ | AS_PROT_GUARD), VM_E_NOT_COMMITTED);
    struct access x = vm_access(&as, a + P, AS_PROT_EXECUTE);
    cr_expect(!x.ok && x.reason == VMX_GUARD, "auto-commit: the guard first");
    cr_expect_eq(as.resident_pages, 0, "no page for it");
    cr_expect_eq(as_clear_guard(&as, a + P), S_OK);
    cr_expect_eq(vm_access(&as, a + P, AS_PROT_EXECUTE).ok, true);
    cr_expect_eq(as.resident_pages, 1, "then the page");
    cr_expect_eq(as_map_range(&b, &v, P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_GUARD, &as, a),
                 VM_E_BAD_FLAGS);
    cr_assert_eq(as_protect(&as, a, 2 * P, AS_PROT_READ | AS_PROT_GUARD), S_OK);
    cr_assert_eq(as_map_range(&b, &v, 2 * P, AS_ANYWHERE | AS_PROT_READ, &as, a), S_OK);
    cr_expect_eq(vm_access(&b, v + P, AS_PROT_READ).ok, true, "a view sees no guard");
    x = vm_access(&as, a + P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_GUARD, "and leaves the source's");
    as_check(&as);
    as_destroy(&b);
    as_destroy(&as);
}
