/* What the arch's boot code tells the machine-independent kernel. */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <kernel/vm/pmem.h>

#define BOOT_CMDLINE_MAX 256
#define BOOT_MAX_RANGES  16

struct boot_info {
    const char *loader;             /* "multiboot", "malta" */
    char cmdline[BOOT_CMDLINE_MAX]; /* copied: the loader's memory is reused */
    struct mem_range usable[BOOT_MAX_RANGES];
    int nusable;
    struct mem_range reserved[BOOT_MAX_RANGES]; /* kernel image, firmware */
    int nreserved;
    uint64_t entry_cycles; /* arch_cycles() when the kernel was entered */
};

/* Append a range (silently dropped past BOOT_MAX_RANGES, with a warning). */
void boot_add_usable(struct boot_info *bi, paddr_t base, paddr_t size);
void boot_add_reserved(struct boot_info *bi, paddr_t base, paddr_t size);

/* The machine-independent kernel entry; the arch calls it once, on the boot
 * stack, with interrupts disabled and the console reachable. */
__attribute__((noreturn)) void kmain(struct boot_info *bi);

/* Linker-script symbols, the same names on every arch. */
extern char __text_start[], __text_end[], __kernel_end[];

#endif
