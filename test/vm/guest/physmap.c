/* The driver VM API (kernel/vm/physmap.c, paper 2.3) on both arches:
 * GetPhysicalAddress's counting lock keeps a freed frame from the
 * allocator until its last release; MapPhysicalMemory maps frames it
 * never frees, mapped or unmapped; Reserve's unmapped attribute; the
 * driver heap. */
#include <kernel/ktest.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/physmap.h>
#include <kernel/vm/pmem.h>

#define PG PAGE_SIZE
#define RW (AS_PROT_READ | AS_PROT_WRITE)

static size_t free_pages(void)
{
    struct pmem_stats s;
    pmem_get_stats(&s);
    return s.free_pages;
}

static bool is_unmapped(vaddr_t va)
{
    return va >= UNMAPPED_BASE && va - UNMAPPED_BASE < UNMAPPED_SIZE;
}

/* One committed, touched page of kernel_as, locked twice. */
static vaddr_t locked_page(paddr_t *pa)
{
    vaddr_t a = 0;
    if (as_allocate(&kernel_as, &a, PG, RW | AS_ANYWHERE) != S_OK)
        return 0;
    *(volatile uint32_t *)a = 0x1234;
    size_t contig = 0;
    if (GetPhysicalAddress(a + 8, 16, pa, &contig) != S_OK || contig != 16)
        return 0;
    *pa -= 8;
    if (GetPhysicalAddress(a, PG, pa, &contig) != S_OK || contig != PG)
        return 0;
    return a;
}

KTEST(physmap_lock_defers_free_until_release)
{
    paddr_t pa;
    vaddr_t a = locked_page(&pa);
    KT_ASSERT(a != 0);
    KT_ASSERT_EQ(frame_lock_count(pa), 2);
    KT_ASSERT_EQ(*(volatile uint32_t *)phys_to_virt(pa), 0x1234);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, PG), S_OK);
    KT_ASSERT(pmem_page_in_use(pa)); /* the frame waits for its locks */
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa, PG), S_OK);
    KT_ASSERT(pmem_page_in_use(pa)); /* still locked once */
    KT_ASSERT_EQ(frame_lock_count(pa), 1);
    size_t before = free_pages();
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa + 100, 8), S_OK);
    KT_ASSERT(!pmem_page_in_use(pa));
    KT_ASSERT_EQ(free_pages(), before + 1);
    KT_ASSERT_EQ(frame_lock_count(pa), 0);
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa, PG), VM_E_NOT_LOCKED);
}

/* While the frame waits, the allocator hands out every other free page
 * but not it: take them all, and it is not among them. */
KTEST(physmap_locked_frame_is_never_reallocated)
{
    paddr_t pa;
    vaddr_t a = locked_page(&pa);
    KT_ASSERT(a != 0);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, PG), S_OK);
    paddr_t chain = PADDR_NONE, got;
    bool seen = false;
    while ((got = pmem_alloc()) != PADDR_NONE) { /* a list through the pages */
        seen |= got == pa;
        *(paddr_t *)phys_to_virt(got) = chain;
        chain = got;
    }
    while (chain != PADDR_NONE) {
        paddr_t next = *(paddr_t *)phys_to_virt(chain);
        pmem_free(chain);
        chain = next;
    }
    KT_ASSERT(!seen);
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa, PG), S_OK);
    KT_ASSERT(pmem_page_in_use(pa));
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa, PG), S_OK);
    KT_ASSERT(!pmem_page_in_use(pa));
}

KTEST(physmap_lock_of_a_live_page_frees_nothing)
{
    paddr_t pa;
    vaddr_t a = locked_page(&pa);
    KT_ASSERT(a != 0);
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa, PG), S_OK);
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa, PG), S_OK);
    KT_ASSERT(pmem_page_in_use(pa));
    KT_ASSERT_EQ(*(volatile uint32_t *)a, 0x1234);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, PG), S_OK);
    KT_ASSERT(!pmem_page_in_use(pa)); /* unlocked: freed at once */
}

KTEST(physmap_get_physical_address_errors)
{
    paddr_t pa;
    size_t contig;
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &a, PG, AS_ANYWHERE), S_OK);
    KT_ASSERT_EQ(GetPhysicalAddress(a, PG, &pa, &contig), VM_E_NOT_COMMITTED);
    KT_ASSERT_EQ(GetPhysicalAddress(a, 0, &pa, &contig), VM_E_ZERO_SIZE);
    KT_ASSERT_EQ(GetPhysicalAddress(a, PG, 0, &contig), VM_E_NULL_POINTER);
    KT_ASSERT_EQ(GetPhysicalAddress(0x1000, PG, &pa, &contig), VM_E_OUT_OF_RANGE);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, PG), S_OK);
}

/* Frames the test owns, mapped into kernel_as: the mapping reads and
 * writes them, GetPhysicalAddress sees them contiguous, and Deallocate
 * leaves them with their owner. */
KTEST(physmap_map_physical_ram_keeps_its_frames)
{
    paddr_t run = pmem_alloc_run(3);
    KT_ASSERT(run != PADDR_NONE);
    for (size_t i = 0; i < 3; i++)
        *(volatile uint32_t *)phys_to_virt(run + i * PG) = 0xd0 + i;
    size_t before = free_pages();
    vaddr_t v = 0;
    KT_ASSERT_EQ(MapPhysicalMemory(run, 3 * PG, RW, &v), S_OK);
    KT_ASSERT(v >= KERNEL_MAPPED_BASE && v < KERNEL_MAPPED_END);
    for (size_t i = 0; i < 3; i++)
        KT_ASSERT_EQ(*(volatile uint32_t *)(v + i * PG), 0xd0 + i);
    *(volatile uint32_t *)(v + PG + 4) = 0xfeed;
    KT_ASSERT_EQ(*(volatile uint32_t *)phys_to_virt(run + PG + 4), 0xfeed);
    paddr_t pa;
    size_t contig;
    KT_ASSERT_EQ(GetPhysicalAddress(v + 12, 3 * PG, &pa, &contig), S_OK);
    KT_ASSERT_EQ(pa, run + 12);
    KT_ASSERT_EQ(contig, 3 * PG - 12); /* to the end of the run */
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa, contig), S_OK);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, v, 3 * PG), S_OK);
    KT_ASSERT_EQ(free_pages(), before); /* still the test's */
    KT_ASSERT_EQ(*(volatile uint32_t *)phys_to_virt(run), 0xd0);
    KT_ASSERT_EQ(MapPhysicalMemory(run + 1, PG, RW, &v), VM_E_UNALIGNED_ADDRESS);
    KT_ASSERT_EQ(MapPhysicalMemory(run, PG, AS_PROT_WRITE, &v), VM_E_BAD_PROT);
    pmem_free_run(run, 3);
}

KTEST(physmap_map_physical_unmapped)
{
    paddr_t pa = pmem_alloc();
    KT_ASSERT(pa != PADDR_NONE);
    *(volatile uint32_t *)phys_to_virt(pa) = 0xabcd;
    vaddr_t v = 0, u = 0;
    KT_ASSERT_EQ(MapPhysicalMemory(pa, PG, RW | PHYS_UNMAPPED, &v), S_OK);
    KT_ASSERT_EQ(v, (vaddr_t)(uintptr_t)phys_to_virt(pa));
    KT_ASSERT_EQ(MapPhysicalMemory(pa, PG, RW | PHYS_UNMAPPED | PHYS_UNCACHED, &u), S_OK);
    KT_ASSERT_EQ(u, (vaddr_t)(uintptr_t)phys_to_virt_uncached(pa));
    KT_ASSERT_EQ(*(volatile uint32_t *)u, 0xabcd);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, v, PG), S_OK);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, u, PG), S_OK);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, v, PG), VM_E_NOT_RESERVED);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, 0x1000, PG), VM_E_OUT_OF_RANGE);
    KT_ASSERT(pmem_page_in_use(pa)); /* still the test's */
    KT_ASSERT_EQ(MapPhysicalMemory(UNMAPPED_SIZE, PG, PHYS_UNMAPPED, &v), VM_E_OUT_OF_RANGE);
    pmem_free(pa);
}

/* Reserve(AS_RESERVE_UNMAPPED) on kernel_as: contiguous pages in unmapped
 * memory, given back by Deallocate; other spaces refuse the flag. */
KTEST(physmap_reserve_unmapped)
{
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &a, 3 * PG, AS_RESERVE_UNMAPPED), S_OK);
    KT_ASSERT(is_unmapped(a));
    for (size_t i = 0; i < 3; i++)
        KT_ASSERT(pmem_page_in_use(virt_to_phys((void *)(a + i * PG))));
    KT_ASSERT_EQ(*(volatile uint8_t *)(a + 2 * PG + 5), VM_ERASE_PATTERN);
    *(volatile uint32_t *)(a + PG) = 7;
    paddr_t pa;
    size_t contig;
    KT_ASSERT_EQ(GetPhysicalAddress(a, 3 * PG, &pa, &contig), S_OK);
    KT_ASSERT_EQ(contig, 3 * PG);
    KT_ASSERT_EQ(pa, virt_to_phys((void *)a));
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa, 3 * PG), S_OK);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, 2 * PG), VM_E_NOT_RESERVED); /* whole only */
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, 3 * PG), S_OK);
    for (size_t i = 0; i < 3; i++)
        KT_ASSERT(!pmem_page_in_use(pa + i * PG));
    struct as other;
    as_init(&other, "other", USER_BASE, USER_END, &kernel_heap);
    vaddr_t b = 0;
    KT_ASSERT_EQ(as_reserve(&other, &b, PG, AS_RESERVE_UNMAPPED), VM_E_BAD_FLAGS);
    as_destroy(&other);
}

/* A frame of unmapped memory under DMA outlives its Deallocate too. */
KTEST(physmap_reserve_unmapped_defers_a_locked_frame)
{
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &a, PG, AS_RESERVE_UNMAPPED), S_OK);
    paddr_t pa;
    size_t contig;
    KT_ASSERT_EQ(GetPhysicalAddress(a, PG, &pa, &contig), S_OK);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, PG), S_OK);
    KT_ASSERT(pmem_page_in_use(pa));
    KT_ASSERT_EQ(ReleasePhysicalAddress(pa, PG), S_OK);
    KT_ASSERT(!pmem_page_in_use(pa));
}

KTEST(physmap_driver_heap_is_unmapped)
{
    void *p = heap_alloc(&driver_heap, 100);
    KT_ASSERT(p != 0);
    KT_ASSERT(is_unmapped((vaddr_t)(uintptr_t)p));
    heap_free(&driver_heap, p);
}

/* The lock table holds VM_FRAME_LOCKS_MAX frames: a run one longer is
 * refused whole (nothing stays locked), one that fits is locked whole. */
KTEST(physmap_lock_table_full_is_refused_whole)
{
    const size_t n = VM_FRAME_LOCKS_MAX + 1;
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &a, n * PG, AS_RESERVE_UNMAPPED), S_OK);
    paddr_t pa = virt_to_phys((void *)a), got;
    size_t contig;
    KT_ASSERT_EQ(GetPhysicalAddress(a, n * PG, &got, &contig), VM_E_NO_MEMORY);
    for (size_t i = 0; i < n; i++)
        KT_ASSERT_EQ(frame_lock_count(pa + i * PG), 0);
    KT_ASSERT_EQ(GetPhysicalAddress(a + PG, (n - 1) * PG, &got, &contig), S_OK);
    KT_ASSERT_EQ(contig, (n - 1) * PG);
    KT_ASSERT_EQ(GetPhysicalAddress(a, PG, &got, &contig), VM_E_NO_MEMORY);
    KT_ASSERT_EQ(ReleasePhysicalAddress(got, contig), S_OK);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, n * PG), S_OK);
}
