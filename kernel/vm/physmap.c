/* The driver VM API (see <kernel/vm/physmap.h>, paper 2.3): physical
 * mappings in the kernel's space, physical addresses locked for DMA, and
 * the kernel space's unmapped memory (Reserve's AS_RESERVE_UNMAPPED,
 * MapPhysicalMemory's PHYS_UNMAPPED), which lives outside the tree: a
 * list of the ranges handed out, so Deallocate frees exactly those. */
#include "region.h"

#include <kernel/arch.h>
#include <kernel/string.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/physmap.h>
#include <kernel/vm/pmem.h>

struct heap driver_heap = {.name = "driver", .lock = SPINLOCK_INIT("driver heap", NP_SYNC)};

/* A range of unmapped memory handed out; under kernel_as.mutex. */
struct unmapped_range {
    vaddr_t base;
    size_t size;
    bool owns_frames; /* Reserve's pages, not MapPhysicalMemory's */
    struct unmapped_range *next;
};

static struct unmapped_range *unmapped_ranges;

static bool fits_unmapped(paddr_t phys, size_t size)
{
    return phys < UNMAPPED_SIZE && size <= UNMAPPED_SIZE - phys;
}

/* In unmapped memory, cached or (PHYS_UNCACHED) not. */
static bool is_unmapped(vaddr_t va)
{
    vaddr_t cached = (vaddr_t)(uintptr_t)phys_to_virt(0);
    vaddr_t uncached = (vaddr_t)(uintptr_t)phys_to_virt_uncached(0);
    return va - cached < UNMAPPED_SIZE || va - uncached < UNMAPPED_SIZE;
}

static SCODE remember_unmapped(vaddr_t base, size_t size, bool owns_frames)
{
    struct unmapped_range *u = heap_alloc(&kernel_heap, sizeof *u);
    if (!u)
        return VM_E_NO_MEMORY;
    *u = (struct unmapped_range){base, size, owns_frames, 0};
    mutex_lock(&kernel_as.mutex);
    u->next = unmapped_ranges;
    unmapped_ranges = u;
    mutex_unlock(&kernel_as.mutex);
    return S_OK;
}

static SCODE check_size(size_t size)
{
    if (size == 0)
        return VM_E_ZERO_SIZE;
    return size % PAGE_SIZE ? VM_E_UNALIGNED_SIZE : S_OK;
}

/* Reserve(AS_RESERVE_UNMAPPED): contiguous pages, erased as a plain
 * commit's are, reached through unmapped memory. */
static SCODE reserve_unmapped(size_t size, vaddr_t *addr)
{
    SCODE sc = check_size(size);
    if (sc != S_OK)
        return sc;
    paddr_t pa = pmem_alloc_run(size / PAGE_SIZE);
    if (pa == PADDR_NONE)
        return VM_E_NO_MEMORY;
    vaddr_t va = (vaddr_t)(uintptr_t)phys_to_virt(pa);
    sc = fits_unmapped(pa, size) ? remember_unmapped(va, size, true) : VM_E_NO_MEMORY;
    if (sc != S_OK) {
        pmem_free_run(pa, size / PAGE_SIZE);
        return sc;
    }
    memset((void *)(uintptr_t)va, VM_ERASE_PATTERN, size);
    *addr = va;
    return S_OK;
}

/* Deallocate of an unmapped address: only a whole range handed out. */
static SCODE deallocate_unmapped(vaddr_t addr, size_t size)
{
    mutex_lock(&kernel_as.mutex);
    struct unmapped_range **p = &unmapped_ranges;
    while (*p && !((*p)->base == addr && (*p)->size == size))
        p = &(*p)->next;
    struct unmapped_range *u = *p;
    if (u)
        *p = u->next;
    mutex_unlock(&kernel_as.mutex);
    if (!u)
        return is_unmapped(addr) ? VM_E_NOT_RESERVED : VM_E_OUT_OF_RANGE;
    if (u->owns_frames) { /* each through the locks: one under DMA waits */
        paddr_t pa = virt_to_phys((const void *)(uintptr_t)addr);
        for (size_t off = 0; off < size; off += PAGE_SIZE)
            vm_page_free(pa + off, 0);
    }
    heap_free(&kernel_heap, u);
    return S_OK;
}

const struct as_unmapped kernel_unmapped = {reserve_unmapped, deallocate_unmapped};

SCODE MapPhysicalMemory(paddr_t phys, size_t size, uint32_t flags, vaddr_t *virt)
{
    if (!virt)
        return VM_E_NULL_POINTER;
    SCODE sc = check_size(size);
    if (sc != S_OK)
        return sc;
    if (phys % PAGE_SIZE)
        return VM_E_UNALIGNED_ADDRESS;
    if (!(flags & PHYS_UNMAPPED))
        return as_map_physical(&kernel_as, phys, size, flags & ~PHYS_UNCACHED, virt);
    if (flags & ~(uint32_t)(PHYS_UNMAPPED | PHYS_UNCACHED | AS_PROT_MASK))
        return VM_E_BAD_FLAGS;
    if (!fits_unmapped(phys, size))
        return VM_E_OUT_OF_RANGE;
    void *at = flags & PHYS_UNCACHED ? phys_to_virt_uncached(phys) : phys_to_virt(phys);
    if ((sc = remember_unmapped((vaddr_t)(uintptr_t)at, size, false)) == S_OK)
        *virt = (vaddr_t)(uintptr_t)at;
    return sc;
}

struct lookup {
    vaddr_t va;
    enum vtlb_result kind;
    struct vtlb_mapping m;
};

/* vtlb_miss holds kernel_as's spinlock, and this thread's stack is in
 * kernel_as: a miss on it there would need that spinlock. So the lookup
 * runs on the interrupt stack, copied in and out, as the kernel space's
 * mutations do (region.c). */
static void lookup_on_interrupt_stack(void *arg)
{
    struct lookup l = *(struct lookup *)arg;
    l.kind = vtlb_miss(&kernel_as, l.va, AS_PROT_READ, &l.m);
    *(struct lookup *)arg = l;
}

/* The frame behind kernel_as page va, or PADDR_NONE if none is resident. */
static paddr_t frame_of(vaddr_t va)
{
    struct lookup l = {.va = va};
    arch_run_on_interrupt_stack(lookup_on_interrupt_stack, &l);
    return l.kind == VTLB_ENTER ? l.m.pa + (va - l.m.va) : PADDR_NONE;
}

static paddr_t frame_at(vaddr_t va, bool unmapped)
{
    return unmapped ? virt_to_phys((const void *)(uintptr_t)va) : frame_of(va);
}

/* Lock the contiguous resident frames from virt's page on, up to size
 * bytes from virt; how many pages (0: none resident, or no lock left). */
static size_t lock_run(vaddr_t virt, size_t size, bool unmapped, paddr_t *first)
{
    vaddr_t page = virt & ~(vaddr_t)(PAGE_SIZE - 1);
    size_t n = 0;
    for (; page + n * PAGE_SIZE < virt + size; n++) {
        paddr_t pa = frame_at(page + n * PAGE_SIZE, unmapped);
        if (pa == PADDR_NONE || (n > 0 && pa != *first + n * PAGE_SIZE))
            break;
        if (n == 0)
            *first = pa;
        if (!frame_lock(pa)) {
            while (n--)
                frame_unlock(*first + n * PAGE_SIZE);
            return 0;
        }
    }
    return n;
}

SCODE GetPhysicalAddress(vaddr_t virt, size_t size, paddr_t *phys, size_t *contig)
{
    if (!phys || !contig)
        return VM_E_NULL_POINTER;
    if (size == 0)
        return VM_E_ZERO_SIZE;
    if (virt + size < virt)
        return VM_E_WRAP;
    bool unmapped = virt - UNMAPPED_BASE < UNMAPPED_SIZE && /* the cached view */
                    size <= UNMAPPED_SIZE - (virt - UNMAPPED_BASE);
    if (!unmapped && (virt < kernel_as.lo || virt + size > kernel_as.hi))
        return VM_E_OUT_OF_RANGE;
    /* The space's own frames are freed under its mutex: none can go
     * between the lookup and the lock. */
    mutex_lock(&kernel_as.mutex);
    paddr_t first = PADDR_NONE;
    size_t pages = lock_run(virt, size, unmapped, &first);
    mutex_unlock(&kernel_as.mutex);
    if (pages == 0)
        return first == PADDR_NONE ? VM_E_NOT_COMMITTED : VM_E_NO_MEMORY;
    size_t offset = virt % PAGE_SIZE, bytes = pages * PAGE_SIZE - offset;
    *phys = first + offset;
    *contig = bytes < size ? bytes : size;
    return S_OK;
}

SCODE ReleasePhysicalAddress(paddr_t phys, size_t size)
{
    if (size == 0)
        return VM_E_ZERO_SIZE;
    SCODE result = S_OK;
    paddr_t end = phys + size;
    for (paddr_t pa = phys & ~(paddr_t)(PAGE_SIZE - 1); pa < end; pa += PAGE_SIZE) {
        SCODE sc = frame_unlock(pa);
        if (sc != S_OK)
            result = sc;
    }
    return result;
}
