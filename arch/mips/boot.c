/* From QEMU's malta boot stub to kmain: the command line is argv[1] (the
 * -append string), the RAM size comes in a3 (and as "memsize" in the
 * environment). Everything the stub left sits in the first MiB, which
 * stays reserved. */
#include <arch/mips.h>
#include <kernel/arch.h>
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/panic.h>
#include <kernel/string.h>

#define LOW_RESERVED 0x100000u /* exception vectors of the firmware, the stub's argv/env */

static struct boot_info boot_info;

void mips_boot(int argc, char **argv, char **envp, uint32_t ram_size);

void mips_boot(int argc, char **argv, char **envp, uint32_t ram_size)
{
    (void)envp;
    struct boot_info *bi = &boot_info;
    bi->entry_cycles = arch_cycles();
    uart_init();
    bi->loader = "malta";
    if (argc > 1 && argv[1])
        kstrlcpy(bi->cmdline, argv[1], sizeof bi->cmdline);
    if (ram_size == 0)
        panic("malta: the boot stub reported no RAM");
    if (ram_size > UNMAPPED_SIZE)
        ram_size = UNMAPPED_SIZE;
    boot_add_usable(bi, 0, ram_size);
    boot_add_reserved(bi, 0, LOW_RESERVED);
    boot_add_reserved(bi, LOW_RESERVED, virt_to_phys(__kernel_end) - LOW_RESERVED);
    kmain(bi);
}
