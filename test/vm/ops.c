/* Each IAddressSpace operation on its own: what it does to the tree and
 * the counters, and every error code each kind of bad argument gets. */
#include "vmtest.h"

#include <criterion/criterion.h>

TestSuite(vm_ops, .init = vmtest_init, .fini = vmtest_fini);

static ADDR_REGION_INFO query(struct as *as, vaddr_t va)
{
    ADDR_REGION_INFO info;
    cr_assert_eq(as_query(as, va, &info), S_OK);
    return info;
}

Test(vm_ops, reserve_commit_decommit_deallocate)
{
    struct as as;
    vmtest_as(&as, "t");
    size_t free0 = vm_free_pages();
    vaddr_t a = 0x100000;
    cr_assert_eq(as_reserve(&as, &a, 16 * P, 0), S_OK);
    ADDR_REGION_INFO i = query(&as, a + 5);
    cr_expect_eq(i.Base, a);
    cr_expect_eq(i.Size, 16 * P);
    cr_expect_eq(i.State, AS_STATE_RESERVED);
    cr_expect_eq(i.ReservationBase, a);
    cr_expect_eq(i.Type, AS_TYPE_PRIVATE);
    cr_expect_eq(vm_free_pages(), free0, "reserving takes no pages");

    cr_assert_eq(as_commit(&as, a + 4 * P, 4 * P, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    cr_expect_eq(vm_free_pages(), free0 - 4, "one page per committed page");
    i = query(&as, a);
    cr_expect_eq(i.State, AS_STATE_RESERVED);
    cr_expect_eq(i.Size, 4 * P);
    i = query(&as, a + 4 * P);
    cr_expect_eq(i.State, AS_STATE_COMMITTED);
    cr_expect_eq(i.Prot, AS_PROT_READ | AS_PROT_WRITE);
    cr_expect_eq(i.Size, 4 * P);
    cr_expect_eq(i.ReservationBase, a);
    as_check(&as);

    vm_write8(&as, a + 4 * P + 7, 0x42);
    cr_expect_eq(vm_read8(&as, a + 4 * P + 7), 0x42);
    struct access x = vm_access(&as, a, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_RESERVED);
    x = vm_access(&as, a + 64 * P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_FREE);

    cr_assert_eq(as_decommit(&as, a + 4 * P, 2 * P), S_OK);
    x = vm_access(&as, a + 4 * P + 7, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_RESERVED, "decommitted page is gone from the VTLB too");
    vm_check_vtlb(&as);
    as_check(&as);
    cr_assert_eq(as_deallocate(&as, a, 16 * P), S_OK);
    i = query(&as, a);
    cr_expect_eq(i.State, AS_STATE_FREE);
    as_check(&as);
    cr_expect_eq(as.nregions, 0);
    as_destroy(&as);
    cr_expect_eq(vm_free_pages(), free0, "every page back");
    cr_expect_eq(vmtest_heap.pages, 0, "and every node");
}

Test(vm_ops, argument_errors_each_have_their_own_code)
{
    struct as as;
    vmtest_as(&as, "t");
    vaddr_t a = 0x100000;
    cr_expect_eq(as_reserve(&as, &a, 3, 0), VM_E_UNALIGNED_SIZE);
    a = 0x100001;
    cr_expect_eq(as_reserve(&as, &a, P, 0), VM_E_UNALIGNED_ADDRESS);
    a = 0x100000;
    cr_expect_eq(as_reserve(&as, &a, 0, 0), VM_E_ZERO_SIZE);
    a = (vaddr_t)0 - 2 * P;
    cr_expect_eq(as_reserve(&as, &a, 4 * P, 0), VM_E_WRAP);
    a = VMTEST_HI - P;
    cr_expect_eq(as_reserve(&as, &a, 2 * P, 0), VM_E_OUT_OF_RANGE);
    a = 0;
    cr_expect_eq(as_reserve(&as, &a, P, 0), VM_E_OUT_OF_RANGE);
    a = 0x100000;
    cr_expect_eq(as_reserve(&as, &a, P, 0x80000000u), VM_E_BAD_FLAGS);
    cr_expect_eq(as_reserve(&as, NULL, P, 0), VM_E_NULL_POINTER);
    cr_assert_eq(as_reserve(&as, &a, 8 * P, 0), S_OK);
    vaddr_t b = a + 4 * P;
    cr_expect_eq(as_reserve(&as, &b, 8 * P, 0), VM_E_IN_USE);
    cr_expect_eq(as_commit(&as, a, P, AS_PROT_WRITE), VM_E_BAD_PROT, "write without read");
    cr_expect_eq(as_commit(&as, a, P, AS_PROT_READ | AS_RESERVE_SECTION), VM_E_BAD_FLAGS);
    cr_expect_eq(as_commit(&as, a + 4 * P, 8 * P, AS_PROT_READ), VM_E_NOT_RESERVED);
    cr_expect_eq(as_protect(&as, a, P, AS_PROT_READ), VM_E_NOT_COMMITTED);
    cr_expect_eq(as_protect(&as, a, P, AS_COMMIT_AUTO), VM_E_BAD_FLAGS);
    cr_expect_eq(as_decommit(&as, a + P + 1, P), VM_E_UNALIGNED_ADDRESS);
    cr_expect_eq(as_deallocate(&as, a, 0), VM_E_ZERO_SIZE);
    cr_expect_eq(as_deallocate(&as, a + 8 * P, P), VM_E_NOT_RESERVED);
    ADDR_REGION_INFO info;
    cr_expect_eq(as_query(&as, VMTEST_HI, &info), VM_E_OUT_OF_RANGE);
    cr_expect_eq(as_query(&as, a, NULL), VM_E_NULL_POINTER);
    size_t g1, g2;
    cr_expect_eq(as_reservation_info(&as, &g1, NULL), VM_E_NULL_POINTER);
    cr_expect_eq(as_reservation_info(&as, &g1, &g2), S_OK);
    cr_expect_eq(g1, PAGE_SIZE);
    cr_expect_eq(g2, PAGE_SIZE);
    as_check(&as);
    as_destroy(&as);
}

Test(vm_ops, anywhere_finds_the_lowest_hole)
{
    struct as as;
    vmtest_as(&as, "t");
    vaddr_t a = 0, b = 0, c = VMTEST_LO + 2 * P;
    cr_assert_eq(as_reserve(&as, &c, P, 0), S_OK);
    cr_assert_eq(as_reserve(&as, &a, 2 * P, AS_ANYWHERE), S_OK);
    cr_expect_eq(a, VMTEST_LO);
    cr_assert_eq(as_reserve(&as, &b, 2 * P, AS_ANYWHERE), S_OK);
    cr_expect_eq(b, VMTEST_LO + 3 * P);
    vaddr_t d = 0;
    cr_expect_eq(as_reserve(&as, &d, VMTEST_HI, AS_ANYWHERE), VM_E_NO_ADDRESS_SPACE);
    as_check(&as);
    as_destroy(&as);
}

Test(vm_ops, page_oriented_reservations_keep_no_boundaries)
{
    struct as as;
    vmtest_as(&as, "t");
    vaddr_t a = 0x200000, b = 0x200000 + 4 * P;
    cr_assert_eq(as_reserve(&as, &a, 4 * P, 0), S_OK);
    cr_assert_eq(as_reserve(&as, &b, 4 * P, 0), S_OK);
    ADDR_REGION_INFO i = query(&as, b);
    cr_expect_eq(i.ReservationBase, a, "adjacent reservations are one run");
    cr_expect_eq(as.nregions, 1, "and one node");
    /* commit and free across the old boundary */
    cr_assert_eq(as_commit(&as, a + 2 * P, 4 * P, AS_PROT_READ), S_OK);
    cr_assert_eq(as_deallocate(&as, a + 3 * P, 2 * P), S_OK);
    cr_expect_eq(query(&as, a + 3 * P).State, AS_STATE_FREE);
    cr_expect_eq(query(&as, a + 2 * P).State, AS_STATE_COMMITTED);
    cr_expect_eq(query(&as, a + 5 * P).State, AS_STATE_COMMITTED);
    as_check(&as);
    as_destroy(&as);
}

Test(vm_ops, sections_keep_boundaries_and_take_size_zero)
{
    struct as as;
    vmtest_as(&as, "t");
    vaddr_t s = 0x300000, n = 0x300000 + 8 * P;
    cr_assert_eq(as_reserve(&as, &s, 8 * P, AS_RESERVE_SECTION), S_OK);
    cr_assert_eq(as_reserve(&as, &n, 8 * P, 0), S_OK);
    cr_expect_eq(query(&as, n).ReservationBase, n, "a section is not merged with its neighbour");
    cr_assert_eq(as_commit(&as, s + 2 * P, 0, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    ADDR_REGION_INFO i = query(&as, s + 2 * P);
    cr_expect_eq(i.State, AS_STATE_COMMITTED);
    cr_expect_eq(i.Size, 6 * P, "size 0 ran to the section's end");
    cr_expect_eq(i.ReservationBase, s);
    cr_expect_eq(as_commit(&as, s + 6 * P, 4 * P, AS_PROT_READ), VM_E_SECTION_BOUNDARY);
    cr_expect_eq(as_commit(&as, n, 0, AS_PROT_READ), VM_E_ZERO_SIZE, "size 0 outside sections");
    cr_expect_eq(as_deallocate(&as, s + P, 0), VM_E_NOT_SECTION_BASE);
    cr_expect_eq(as_deallocate(&as, s, 4 * P), VM_E_SECTION_BOUNDARY);
    cr_expect_eq(as_deallocate(&as, n - 2 * P, 4 * P), VM_E_NOT_SECTION_BASE,
                 "starts inside the section");
    cr_expect_eq(as_deallocate(&as, n, 8 * P), S_OK);
    cr_expect_eq(as_protect(&as, s + 2 * P, 0, AS_PROT_READ), S_OK);
    cr_expect_eq(query(&as, s + 3 * P).Prot, AS_PROT_READ);
    size_t free0 = vm_free_pages();
    cr_assert_eq(as_deallocate(&as, s, 0), S_OK);
    cr_expect_eq(vm_free_pages(), free0 + 6);
    cr_expect_eq(query(&as, s).State, AS_STATE_FREE);
    as_check(&as);
    as_destroy(&as);
}

Test(vm_ops, protect_takes_effect_at_once)
{
    struct as as;
    vmtest_as(&as, "t");
    vaddr_t a = 0;
    cr_assert_eq(as_allocate(&as, &a, 4 * P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    vm_write8(&as, a + P, 9);
    cr_assert_eq(as_protect(&as, a, 4 * P, AS_PROT_READ), S_OK);
    struct access x = vm_access(&as, a + P, AS_PROT_WRITE);
    cr_expect(!x.ok && x.reason == VMX_PROTECTION, "a write just after Protect faults");
    cr_expect_eq(vm_read8(&as, a + P), 9);
    cr_assert_eq(as_protect(&as, a, 4 * P, AS_PROT_NONE), S_OK);
    x = vm_access(&as, a + P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_PROTECTION);
    x = vm_access(&as, a + P, AS_PROT_EXECUTE);
    cr_expect(!x.ok && x.reason == VMX_PROTECTION);
    vm_check_vtlb(&as);
    as_destroy(&as);
}

Test(vm_ops, memory_status_follows_the_space_and_the_pages)
{
    struct as as;
    vmtest_as(&as, "t");
    MEMORY_STATUS st;
    cr_assert_eq(as_memory_status(&as, &st), S_OK);
    cr_expect_eq(st.Length, sizeof st);
    cr_expect_eq(st.TotalVirtual, VMTEST_HI - VMTEST_LO);
    cr_expect_eq(st.AvailVirtual, st.TotalVirtual);
    size_t avail = st.AvailPhys + vmtest_heap.pages * P;
    vaddr_t a = 0;
    cr_assert_eq(as_allocate(&as, &a, 10 * P, AS_ANYWHERE | AS_PROT_READ), S_OK);
    cr_assert_eq(as_memory_status(&as, &st), S_OK);
    cr_expect_eq(st.AvailVirtual, st.TotalVirtual - 10 * P);
    cr_expect_eq(st.AvailPhys, avail - 10 * P - vmtest_heap.pages * P);
    cr_expect_leq(st.MemoryLoad, 100);
    cr_expect_eq(as_memory_status(&as, NULL), VM_E_NULL_POINTER);
    as_destroy(&as);
}

Test(vm_ops, large_commits_use_bounded_nodes)
{
    struct as as;
    vmtest_as(&as, "t");
    vaddr_t a = 0;
    size_t pages = 3 * VM_NODE_MAX_PAGES + 5;
    cr_assert_eq(as_allocate(&as, &a, pages * P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    cr_expect_eq(as.nregions, 4);
    ADDR_REGION_INFO i = query(&as, a);
    cr_expect_eq(i.Size, pages * P, "Query reports the run, not the nodes");
    vm_write8(&as, a + (pages - 1) * P, 1);
    as_check(&as);
    as_destroy(&as);
}
