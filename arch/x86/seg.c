/* The kernel's GDT. boot.S runs on a boot GDT in the low identity-mapped
 * memory; gdt_init moves to this one (in the kernel image, reached through
 * its linear address) before the identity mapping goes away. The
 * selectors are the same as the boot GDT's (<arch/x86.h>). */
#include <arch/x86.h>
#include <kernel/arch.h>

struct gdt_desc {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

/* A flat 4 GiB segment with the given base and access byte. */
#define SEGMENT(base, access)                                                                      \
    ((uint64_t)0xffff | ((uint64_t)((base)&0xffffff) << 16) | ((uint64_t)(access) << 40) |         \
     ((uint64_t)0xcf << 48) | ((uint64_t)((base) >> 24) << 56))

#define ACCESS_KCODE 0x9a /* present, ring 0, code, readable */
#define ACCESS_KDATA 0x92 /* present, ring 0, data, writable */

static uint64_t gdt[] = {
    0,
    SEGMENT(KERNEL_SEGMENT_BASE, ACCESS_KCODE),
    SEGMENT(KERNEL_SEGMENT_BASE, ACCESS_KDATA),
};

_Static_assert(SEL_KCODE == 1 * 8 && SEL_KDATA == 2 * 8, "selectors index the GDT");
_Static_assert(SEGMENT(0x40000000u, ACCESS_KCODE) == 0x40cf9a000000ffffull,
               "the same descriptor as boot.S's");

void gdt_init(void)
{
    struct gdt_desc d = {sizeof gdt - 1, virt_to_linear(gdt)};
    __asm__ volatile("lgdt %0\n\t"
                     "movw %w1, %%ds\n\t"
                     "movw %w1, %%es\n\t"
                     "movw %w1, %%ss\n\t"
                     "movw %w1, %%fs\n\t"
                     "movw %w1, %%gs\n\t"
                     "ljmp %2, $1f\n"
                     "1:" ::"m"(d),
                     "r"(SEL_KDATA), "i"(SEL_KCODE)
                     : "memory");
}
