/* Map (paper 2.2, 3.4.1) on the host: copy-on-write seen from both sides
 * with the free pages counted after each step, deallocation of either
 * side, no-exception mappings (the scratch page instead of an exception
 * once the source is gone), views that refuse a write beyond their
 * protection, and chains of mappings: resolved through, invalidated
 * through, bounded, and safe when they loop. */
#include "vmtest.h"

#include <criterion/criterion.h>
#include <kernel/vm/object.h>

TestSuite(vm_map, .init = vmtest_init, .fini = vmtest_fini);

#define RW  (AS_PROT_READ | AS_PROT_WRITE)
#define COW (AS_MAP_COPY_ON_WRITE)
#define NOX (AS_MAP_NO_EXCEPTION)

/* n committed pages in a, page k holding 0x10 + k. */
static vaddr_t source(struct as *a, size_t n)
{
    vaddr_t va = 0;
    cr_assert_eq(as_allocate(a, &va, n * P, AS_ANYWHERE | RW), S_OK);
    for (size_t k = 0; k < n; k++)
        vm_write8(a, va + k * P, (uint8_t)(0x10 + k));
    return va;
}

static vaddr_t map(struct as *b, size_t n, uint32_t flags, struct as *a, vaddr_t va)
{
    vaddr_t vb = 0;
    cr_assert_eq(as_map_range(b, &vb, n * P, AS_ANYWHERE | flags, a, va), S_OK);
    return vb;
}

static bool is_scratch(struct access x)
{
    return x.ok && x.pa - VTLB_SOFT_SCRATCH_PA < PAGE_SIZE;
}

static void check(struct as *as)
{
    vm_check_vtlb(as);
    as_check(as);
}

Test(vm_map, cow_from_both_sides_counting_pages)
{
    struct as a, b;
    vmtest_as(&a, "source");
    vmtest_as(&b, "mapper");
    size_t free0 = vm_free_pages();
    vaddr_t va = source(&a, 4);
    size_t free1 = vm_free_pages();
    cr_expect_leq(free1 + 4, free0, "four pages for the source");
    vaddr_t vb = map(&b, 4, RW | COW, &a, va);
    cr_expect_eq(vm_read8(&b, vb + 2 * P), 0x12, "the mapper reads the source");
    size_t free2 = vm_free_pages();
    cr_expect_eq(b.resident_pages, 0, "reading copies nothing");
    vm_write8(&b, vb + 2 * P, 0xb2);
    cr_expect_eq(b.resident_pages, 1, "the mapper's write copied one page");
    cr_expect_eq(vm_free_pages(), free2 - 1);
    cr_expect_eq(vm_read8(&a, va + 2 * P), 0x12, "the source does not see the mapper's write");
    vm_write8(&a, va + 2 * P, 0xa2);
    cr_expect_eq(vm_read8(&b, vb + 2 * P), 0xb2, "a source write after the copy stays hidden");
    vm_write8(&a, va + 3 * P, 0xa3);
    cr_expect_eq(vm_read8(&b, vb + 3 * P), 0xa3, "on uncopied pages the source shows");
    check(&a);
    check(&b);
    cr_assert_eq(as_deallocate(&b, vb, 4 * P), S_OK);
    cr_expect_eq(vm_free_pages(), free2, "deallocating the mapping frees its copy");
    cr_expect_eq(vm_read8(&a, va + 2 * P), 0xa2, "and leaves the source alone");
    cr_assert_eq(as_deallocate(&a, va, 4 * P), S_OK);
    cr_expect_eq(vm_free_pages(), free0);
    as_destroy(&b);
    as_destroy(&a);
}

Test(vm_map, shared_mapping_both_directions)
{
    struct as a, b;
    vmtest_as(&a, "source");
    vmtest_as(&b, "mapper");
    size_t free0 = vm_free_pages();
    vaddr_t va = source(&a, 2);
    size_t free1 = vm_free_pages();
    vaddr_t vb = map(&b, 2, RW, &a, va);
    vm_write8(&b, vb + P + 7, 0x77);
    cr_expect_eq(vm_read8(&a, va + P + 7), 0x77, "the mapper's write reaches the source");
    vm_write8(&a, va + 9, 0x99);
    cr_expect_eq(vm_read8(&b, vb + 9), 0x99, "the source's write reaches the mapper");
    cr_expect_eq(vm_free_pages(), free1, "no copy for a shared mapping");
    cr_assert_eq(as_deallocate(&a, va, 2 * P), S_OK);
    cr_expect_eq(vm_free_pages(), free0, "the source's pages went with it");
    struct access x = vm_access(&b, vb, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_SOURCE_INVALID, "a plain mapping of a freed source raises");
    check(&b);
    cr_assert_eq(as_deallocate(&b, vb, 2 * P), S_OK);
    cr_expect_eq(vm_free_pages(), free0);
    as_destroy(&b);
    as_destroy(&a);
}

Test(vm_map, no_exception_mapping_gets_the_scratch_page)
{
    struct as a, b;
    vmtest_as(&a, "source");
    vmtest_as(&b, "server");
    vaddr_t va = source(&a, 2);
    vaddr_t plain = map(&b, 2, AS_PROT_READ, &a, va);
    vaddr_t nox = map(&b, 2, RW | NOX, &a, va);
    cr_expect_eq(vm_read8(&b, nox + P), 0x11, "a valid source shows as usual");
    cr_expect(!is_scratch(vm_access(&b, nox + P, AS_PROT_WRITE)));
    size_t free_before = vm_free_pages();
    cr_assert_eq(as_deallocate(&a, va, 2 * P), S_OK);
    struct access x = vm_access(&b, plain + P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_SOURCE_INVALID, "the plain mapping raises");
    x = vm_access(&b, nox + P + 5, AS_PROT_READ);
    cr_expect(is_scratch(x), "the no-exception mapping reads the scratch page");
    cr_expect_eq(x.pa, VTLB_SOFT_SCRATCH_PA + 5);
    cr_expect_eq(x.reason, VMX_SOURCE_INVALID, "and says why");
    cr_expect(is_scratch(vm_access(&b, nox, AS_PROT_WRITE)), "writes too");
    cr_expect_eq(vm_free_pages(), free_before + 2, "no page taken for it");
    /* the mapping's own protection is still the mapping's own business */
    x = vm_access(&b, nox, AS_PROT_EXECUTE);
    cr_expect(!x.ok && x.reason == VMX_PROTECTION);
    /* the source comes back: the mapping shows it again */
    vaddr_t again = va;
    cr_assert_eq(as_allocate(&a, &again, 2 * P, RW | AS_COMMIT_ALLOC_ZERO), S_OK);
    vm_write8(&a, va + P, 0x5e);
    cr_expect_eq(vm_read8(&b, nox + P), 0x5e);
    check(&b);
    as_destroy(&a);
    cr_expect(is_scratch(vm_access(&b, nox, AS_PROT_READ)), "a destroyed source too");
    as_destroy(&b);
}

Test(vm_map, no_exception_covers_a_source_that_refuses_the_access)
{
    struct as a, b;
    vmtest_as(&a, "source");
    vmtest_as(&b, "server");
    vaddr_t va = source(&a, 1);
    vaddr_t nox = map(&b, 1, RW | NOX, &a, va);
    cr_assert_eq(as_protect(&a, va, P, AS_PROT_READ), S_OK);
    cr_expect_eq(vm_read8(&b, nox), 0x10);
    struct access x = vm_access(&b, nox, AS_PROT_WRITE);
    cr_expect(is_scratch(x) && x.reason == VMX_PROTECTION, "a write the source refuses");
    cr_expect_eq(vm_read8(&a, va), 0x10, "never reaches the source");
    as_destroy(&b);
    as_destroy(&a);
}

/* a <- b <- c: c maps b's mapping of a. */
struct chain {
    struct as a, b, c;
    vaddr_t va, vb, vc;
};

static void chain_setup(struct chain *k, uint32_t b_flags, uint32_t c_flags)
{
    vmtest_as(&k->a, "a");
    vmtest_as(&k->b, "b");
    vmtest_as(&k->c, "c");
    k->va = source(&k->a, 4);
    k->vb = map(&k->b, 4, b_flags, &k->a, k->va);
    k->vc = map(&k->c, 4, c_flags, &k->b, k->vb);
}

static void chain_done(struct chain *k)
{
    check(&k->a);
    check(&k->b);
    check(&k->c);
    as_destroy(&k->c);
    as_destroy(&k->b);
    as_destroy(&k->a);
}

Test(vm_map, a_mapping_of_a_mapping_resolves_through)
{
    struct chain k;
    chain_setup(&k, RW, RW);
    cr_expect_eq(vm_read8(&k.c, k.vc + P), 0x11, "c reads a through b");
    vm_write8(&k.a, k.va + P, 0xa1);
    cr_expect_eq(vm_read8(&k.c, k.vc + P), 0xa1, "a's write shows in c");
    vm_write8(&k.c, k.vc + 2 * P, 0xc2);
    cr_expect_eq(vm_read8(&k.a, k.va + 2 * P), 0xc2, "c's write reaches a");
    cr_expect_eq(vm_read8(&k.b, k.vb + 2 * P), 0xc2);
    cr_expect_eq(k.b.resident_pages + k.c.resident_pages, 0, "shared all the way: no copies");
    cr_assert_eq(as_decommit(&k.a, k.va + P, P), S_OK);
    struct access x = vm_access(&k.c, k.vc + P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_SOURCE_INVALID, "c's cached page went with a's");
    chain_done(&k);
}

Test(vm_map, a_copy_in_the_middle_shows_above_it)
{
    struct chain k;
    chain_setup(&k, RW | COW, AS_PROT_READ);
    cr_expect_eq(vm_read8(&k.c, k.vc + 3 * P), 0x13, "cached in c: a's page");
    vm_write8(&k.b, k.vb + 3 * P, 0xb3);
    cr_expect_eq(vm_read8(&k.c, k.vc + 3 * P), 0xb3, "c now sees b's copy, not a's page");
    cr_expect_eq(vm_read8(&k.a, k.va + 3 * P), 0x13);
    vm_write8(&k.a, k.va + 3 * P, 0xa3);
    cr_expect_eq(vm_read8(&k.c, k.vc + 3 * P), 0xb3, "b's copy hides a from c too");
    chain_done(&k);
}

Test(vm_map, a_write_from_above_copies_at_the_first_cow_link)
{
    struct chain k;
    chain_setup(&k, RW | COW, RW);
    size_t free0 = vm_free_pages();
    vm_write8(&k.c, k.vc, 0xc0);
    cr_expect_eq(k.b.resident_pages, 1, "b, the copy-on-write link, got the copy");
    cr_expect_eq(k.c.resident_pages, 0, "c shares b's memory");
    cr_expect_eq(vm_free_pages(), free0 - 1);
    cr_expect_eq(vm_read8(&k.b, k.vb), 0xc0);
    cr_expect_eq(vm_read8(&k.a, k.va), 0x10, "a never sees it");
    chain_done(&k);
}

Test(vm_map, a_cow_link_read_only_below_a_writer_refuses_the_write)
{
    struct chain k;
    chain_setup(&k, AS_PROT_READ | COW, RW);
    struct access x = vm_access(&k.c, k.vc, AS_PROT_WRITE);
    cr_expect(!x.ok && x.reason == VMX_PROTECTION, "b may not write, so c may not through it");
    cr_expect_eq(k.b.resident_pages, 0);
    chain_done(&k);
}

Test(vm_map, destroying_the_bottom_invalidates_the_whole_chain)
{
    struct chain k;
    chain_setup(&k, RW, AS_PROT_READ | NOX);
    struct as d;
    vmtest_as(&d, "d");
    vaddr_t vd = map(&d, 4, AS_PROT_READ, &k.c, k.vc);
    cr_expect_eq(vm_read8(&d, vd + P), 0x11, "three links");
    cr_expect_eq(vm_read8(&k.c, k.vc + P), 0x11);
    as_destroy(&k.a);
    struct access x = vm_access(&d, vd + P, AS_PROT_READ);
    cr_expect(is_scratch(x), "d reads the scratch page: c's link is a no-exception one");
    cr_expect(is_scratch(vm_access(&k.c, k.vc + P, AS_PROT_READ)));
    x = vm_access(&k.b, k.vb + P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_SOURCE_INVALID, "b's link is a plain one");
    check(&d);
    as_destroy(&d);
    as_destroy(&k.c);
    as_destroy(&k.b);
}

Test(vm_map, chains_are_bounded)
{
    struct as s[VM_MAP_CHAIN_MAX + 2];
    vaddr_t v[VM_MAP_CHAIN_MAX + 2];
    vmtest_as(&s[0], "s0");
    v[0] = source(&s[0], 1);
    for (int i = 1; i < VM_MAP_CHAIN_MAX + 2; i++) {
        vmtest_as(&s[i], "si");
        v[i] = map(&s[i], 1, AS_PROT_READ, &s[i - 1], v[i - 1]);
    }
    cr_expect_eq(vm_read8(&s[VM_MAP_CHAIN_MAX], v[VM_MAP_CHAIN_MAX]), 0x10, "the longest chain");
    struct access x = vm_access(&s[VM_MAP_CHAIN_MAX + 1], v[VM_MAP_CHAIN_MAX + 1], AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_SOURCE_INVALID, "one link more is an invalid source");
    vm_write8(&s[0], v[0], 0x20);
    cr_expect_eq(vm_read8(&s[VM_MAP_CHAIN_MAX], v[VM_MAP_CHAIN_MAX]), 0x20,
                 "invalidation reaches as far as a lookup goes");
    for (int i = VM_MAP_CHAIN_MAX + 1; i >= 0; i--) {
        check(&s[i]);
        as_destroy(&s[i]);
    }
}

Test(vm_map, a_cycle_is_an_invalid_source)
{
    struct as a, b;
    vmtest_as(&a, "a");
    vmtest_as(&b, "b");
    vaddr_t x = 0x100000, y = 0x200000, z = 0x300000;
    cr_assert_eq(as_reserve(&a, &x, P, 0), S_OK);
    cr_assert_eq(as_reserve(&b, &y, P, 0), S_OK);
    cr_assert_eq(as_map_range(&a, &x, P, AS_PROT_READ, &b, y), S_OK);
    cr_assert_eq(as_map_range(&b, &y, P, AS_PROT_READ, &a, x), S_OK);
    struct access r = vm_access(&a, x, AS_PROT_READ);
    cr_expect(!r.ok && r.reason == VMX_SOURCE_INVALID, "a -> b -> a -> ... ends");
    r = vm_access(&b, y, AS_PROT_READ);
    cr_expect(!r.ok && r.reason == VMX_SOURCE_INVALID);
    vaddr_t w = map(&b, 1, AS_PROT_READ | NOX, &a, x);
    cr_expect(is_scratch(vm_access(&b, w, AS_PROT_READ)), "no-exception above the loop");
    /* a chain may pass through one space twice without looping */
    z = source(&a, 1);
    cr_assert_eq(as_decommit(&b, y, P), S_OK);
    cr_assert_eq(as_map_range(&b, &y, P, RW, &a, z), S_OK);
    cr_expect_eq(vm_read8(&a, x), 0x10, "a -> b -> a's own page");
    vm_write8(&a, z, 0x33);
    cr_expect_eq(vm_read8(&a, x), 0x33, "and is invalidated through the same space");
    check(&a);
    check(&b);
    as_destroy(&b);
    as_destroy(&a);
}

/* Map through the objects: a read-only view refuses a writable mapping
 * and a write through a read-only one; a view of it cannot widen it. */
Test(vm_map, a_view_refuses_a_write_beyond_its_protection_but_copies_privately)
{
    struct as a, b;
    vmtest_as(&a, "a");
    vmtest_as(&b, "b");
    IAddressSpace *sa = as_object_create(&a, NULL, NULL), *sb = as_object_create(&b, NULL, NULL);
    vaddr_t va = source(&a, 4);
    IMemoryObject *whole = NULL, *ro = NULL, *wider = (IMemoryObject *)1;
    cr_assert_eq(sa->lpVtbl->QueryInterface(sa, &IID_IMemoryObject, (void **)&whole), S_OK);
    cr_assert_eq(whole->lpVtbl->RestrictedAccess(whole, va, 2 * P, AS_PROT_READ, &ro), S_OK);
    cr_expect_eq(ro->lpVtbl->RestrictedAccess(ro, 0, P, RW, &wider), VM_E_ACCESS_DENIED);
    cr_expect_null(wider, "a view never widens");
    ADDRESS vb = 0;
    cr_expect_eq(sb->lpVtbl->Map(sb, &vb, 2 * P, AS_ANYWHERE | RW, ro, 0), VM_E_ACCESS_DENIED);
    /* a private copy needs only read access: its writes never reach a */
    ADDRESS vc = 0;
    cr_assert_eq(sb->lpVtbl->Map(sb, &vc, 2 * P, AS_ANYWHERE | RW | COW, ro, 0), S_OK);
    vm_write8(&b, vc + P, 0x77); /* a copy-on-write write to a read-only view */
    cr_expect_eq(vm_read8(&b, vc + P), 0x77);
    cr_expect_eq(vm_read8(&a, va + P), 0x11, "the view's source is untouched");
    cr_assert_eq(sb->lpVtbl->Map(sb, &vb, 2 * P, AS_ANYWHERE | AS_PROT_READ, ro, 0), S_OK);
    cr_expect_eq(vm_read8(&b, vb + P), 0x11);
    struct access x = vm_access(&b, vb + P, AS_PROT_WRITE);
    cr_expect(!x.ok && x.reason == VMX_PROTECTION, "the write is refused");
    cr_expect_eq(vm_read8(&a, va + P), 0x11);
    ADDR_SIZE rg = 0, mg = 0;
    cr_assert_eq(sb->lpVtbl->ReservationInformation(sb, &rg, &mg), S_OK);
    ADDRESS off = 0;
    cr_expect_eq(sb->lpVtbl->Map(sb, &off, P, AS_ANYWHERE | AS_PROT_READ, ro, mg / 2),
                 VM_E_UNALIGNED_ADDRESS, "offsets come in the map granularity");
    ro->lpVtbl->Release(ro);
    whole->lpVtbl->Release(whole);
    sb->lpVtbl->Release(sb);
    sa->lpVtbl->Release(sa);
    as_destroy(&b);
    as_destroy(&a);
}

/* The source frees its page while the mapper's copy runs (preempted, on
 * the target): the copy, which may hold whatever the frame's next owner
 * wrote, is dropped, and the write sees the source as it is now. */
static struct as *racing_source;
static vaddr_t racing_va;

static void free_the_source_page(void)
{
    host_copy_page_hook = NULL;
    cr_assert_eq(as_decommit(racing_source, racing_va, P), S_OK);
}

Test(vm_map, a_copy_the_source_outran_is_dropped)
{
    struct as a, b;
    vmtest_as(&a, "source");
    vmtest_as(&b, "mapper");
    vaddr_t va = source(&a, 1);
    vaddr_t vb = map(&b, 1, RW | COW, &a, va);
    cr_expect_eq(vm_read8(&b, vb), 0x10);
    size_t free0 = vm_free_pages();
    racing_source = &a, racing_va = va;
    host_copy_page_hook = free_the_source_page;
    struct access x = vm_access(&b, vb, AS_PROT_WRITE);
    cr_expect_null(host_copy_page_hook, "the copy ran");
    cr_expect(!x.ok && x.reason == VMX_SOURCE_INVALID, "the source is gone: no copy of it");
    cr_expect_eq(b.resident_pages, 0);
    cr_expect_eq(vm_free_pages(), free0 + 1, "the source's page is free, the copy too");
    check(&b);
    as_destroy(&b);
    as_destroy(&a);
}
