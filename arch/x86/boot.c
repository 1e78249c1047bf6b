/* From multiboot to kmain: read the loader's information into a
 * struct boot_info while it is still intact, drop the boot identity
 * mapping, leave ring 0 and enter the machine-independent kernel. */
#include <arch/x86.h>
#include <kernel/arch.h>
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/string.h>

#define MB_BOOT_MAGIC   0x2badb002
#define MB_INFO_MEM     (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP    (1u << 6)
#define MB_MMAP_USABLE  1

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper; /* KiB below 1 MiB, KiB above 1 MiB */
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct mb_mmap_entry {
    uint32_t size; /* of the rest of the entry */
    uint64_t base, length;
    uint32_t type;
} __attribute__((packed));

extern char __kernel_phys_start[];
extern uint32_t boot_pgdir[];

static struct boot_info boot_info;

/* Add a multiboot range, clipped to what unmapped memory can reach. */
static void add_usable_clipped(struct boot_info *bi, uint64_t base, uint64_t len)
{
    uint64_t end = base + len;
    if (end > UNMAPPED_SIZE)
        end = UNMAPPED_SIZE;
    if (base < end)
        boot_add_usable(bi, (paddr_t)base, (paddr_t)(end - base));
}

static void read_memory_map(struct boot_info *bi, const struct mb_info *mb)
{
    if (mb->flags & MB_INFO_MMAP) {
        uintptr_t p = (uintptr_t)phys_to_virt(mb->mmap_addr);
        uintptr_t end = p + mb->mmap_length;
        while (p < end) {
            const struct mb_mmap_entry *e = (const void *)p;
            if (e->type == MB_MMAP_USABLE)
                add_usable_clipped(bi, e->base, e->length);
            p += e->size + sizeof e->size;
        }
    } else if (mb->flags & MB_INFO_MEM) {
        add_usable_clipped(bi, 0x100000, (uint64_t)mb->mem_upper * 1024);
    } else {
        panic("multiboot: the loader gave no memory information");
    }
}

void x86_boot(uint32_t magic, uint32_t mb_phys)
{
    struct boot_info *bi = &boot_info;
    bi->entry_cycles = arch_cycles();
    uart_init();
    if (magic != MB_BOOT_MAGIC)
        panic("not started by a multiboot loader (eax=%#x)", magic);

    const struct mb_info *mb = phys_to_virt(mb_phys);
    bi->loader = "multiboot";
    if (mb->flags & MB_INFO_CMDLINE)
        kstrlcpy(bi->cmdline, phys_to_virt(mb->cmdline), sizeof bi->cmdline);
    read_memory_map(bi, mb);
    /* The BIOS owns the first MiB; the kernel image follows it. */
    boot_add_reserved(bi, 0, (paddr_t)(uintptr_t)__kernel_phys_start);
    boot_add_reserved(bi, (paddr_t)(uintptr_t)__kernel_phys_start,
                      virt_to_phys(__kernel_end) - (paddr_t)(uintptr_t)__kernel_phys_start);

    /* Nothing runs at low linear addresses any more: drop the identity map. */
    gdt_init();
    uint32_t *pgdir = phys_to_virt((paddr_t)(uintptr_t)boot_pgdir);
    pgdir[0] = 0;
    __asm__ volatile("movl %%cr3, %%eax; movl %%eax, %%cr3" ::: "eax", "memory");

    /* The kernel proper runs at ring 1, the boot context (later the
     * thread "main") included; ring 0 is reached only through the IDT,
     * which must therefore be in place first. */
    idt_init();
    ring1_enter();
    kmain(bi);
}
