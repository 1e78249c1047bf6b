/* Helpers for the arch's boot code (see <kernel/boot.h>). */
#include <kernel/boot.h>
#include <kernel/kprintf.h>

static void add_range(struct mem_range *ranges, int *n, paddr_t base, paddr_t size,
                      const char *what)
{
    if (*n == BOOT_MAX_RANGES) {
        kprintf("boot: too many %s ranges, dropping %#x+%#x\n", what, (unsigned)base,
                (unsigned)size);
        return;
    }
    ranges[(*n)++] = (struct mem_range){base, size};
}

void boot_add_usable(struct boot_info *bi, paddr_t base, paddr_t size)
{
    add_range(bi->usable, &bi->nusable, base, size, "usable");
}

void boot_add_reserved(struct boot_info *bi, paddr_t base, paddr_t size)
{
    add_range(bi->reserved, &bi->nreserved, base, size, "reserved");
}
