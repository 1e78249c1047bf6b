/* MapPhysicalMemory of a device register on malta: the board's REVISION
 * register (physical 0x1fc00010, QEMU's Malta with a CoreLV: 0x420),
 * read through a kernel_as mapping and through kseg1. */
#include <kernel/ktest.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/physmap.h>

#define REVISION_PAGE   0x1fc00000u
#define REVISION_OFFSET 0x10u
#define MALTA_CORE_LV   0x420u

KTEST(physmap_maps_the_malta_revision_register)
{
    vaddr_t v = 0, u = 0;
    KT_ASSERT_EQ(MapPhysicalMemory(REVISION_PAGE, PAGE_SIZE, AS_PROT_READ, &v), S_OK);
    KT_ASSERT(v >= KERNEL_MAPPED_BASE && v < KERNEL_MAPPED_END);
    KT_ASSERT_EQ(*(volatile uint32_t *)(v + REVISION_OFFSET), MALTA_CORE_LV);
    KT_ASSERT_EQ(MapPhysicalMemory(REVISION_PAGE, PAGE_SIZE,
                                   AS_PROT_READ | PHYS_UNMAPPED | PHYS_UNCACHED, &u),
                 S_OK);
    KT_ASSERT_EQ(u, 0xbfc00000u); /* kseg1 */
    KT_ASSERT_EQ(*(volatile uint32_t *)(u + REVISION_OFFSET), MALTA_CORE_LV);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, v, PAGE_SIZE), S_OK);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, u, PAGE_SIZE), S_OK);
}
