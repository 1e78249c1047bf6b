/* MapPhysicalMemory of a device region on the PC: the BIOS ROM's last
 * page, whose reset vector (physical 0xFFFF0) is a far jump (0xEA), read
 * through a kernel_as mapping and through unmapped memory alike. */
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/physmap.h>

#define BIOS_LAST_PAGE 0xff000u
#define RESET_VECTOR   0xff0u
#define FAR_JUMP       0xea

KTEST(physmap_maps_the_bios_rom)
{
    vaddr_t v = 0, u = 0;
    KT_ASSERT_EQ(MapPhysicalMemory(BIOS_LAST_PAGE, PAGE_SIZE, AS_PROT_READ, &v), S_OK);
    KT_ASSERT(v >= KERNEL_MAPPED_BASE && v < KERNEL_MAPPED_END);
    KT_ASSERT_EQ(*(volatile uint8_t *)(v + RESET_VECTOR), FAR_JUMP);
    KT_ASSERT_EQ(MapPhysicalMemory(BIOS_LAST_PAGE, PAGE_SIZE,
                                   AS_PROT_READ | PHYS_UNMAPPED | PHYS_UNCACHED, &u),
                 S_OK);
    KT_ASSERT(memcmp((const void *)v, (const void *)u, PAGE_SIZE) == 0);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, v, PAGE_SIZE), S_OK);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, u, PAGE_SIZE), S_OK);
}
