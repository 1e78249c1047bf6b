/* The kernel's GDT and TSS. boot.S runs on a boot GDT in the low
 * identity-mapped memory; gdt_init moves to this one (in the kernel image,
 * reached through its linear address) before the identity mapping goes
 * away, and loads the TSS, whose ss0:esp0 is the interrupt stack: every
 * trap from a kernel thread (ring 1) lands there, so no trap ever pushes
 * onto a thread stack that may be absent (paper 3.4.2). Its ss1:esp1 is
 * the running thread's kernel stack, where a kernel call from ring 3
 * lands (kcall.S). The selectors are in <arch/x86.h>; docs/RING1-x86.md
 * has the design. */
#include <arch/x86.h>
#include <kernel/arch.h>

struct gdt_desc {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

/* A 32-bit, page-granular segment of `pages` 4 KiB pages (at most 2^20)
 * with the given base and access byte. */
#define SEGMENT_PAGES(base, pages, access)                                                         \
    ((uint64_t)(((pages)-1) & 0xffff) | ((uint64_t)((base)&0xffffff) << 16) |                      \
     ((uint64_t)(access) << 40) | ((uint64_t)(0xc0 | (((pages)-1) >> 16)) << 48) |                 \
     ((uint64_t)((base) >> 24) << 56))

/* A flat 4 GiB segment with the given base and access byte. */
#define SEGMENT(base, access) SEGMENT_PAGES(base, 0x100000u, access)

/* User segments: base 0, so user linear = user address, and limit
 * USER_END (2 GiB). The limit documents the user range more than it
 * protects it: QEMU checks no data-segment limit, so what keeps ring 3
 * out of the kernel's linear 2-4 GiB is the supervisor bit of those pages
 * (docs/RING1-x86.md). */
#define USER_PAGES (USER_END / PAGE_SIZE)

#define ACCESS_KCODE  0x9a /* present, ring 0, code, readable */
#define ACCESS_KDATA  0x92 /* present, ring 0, data, writable */
#define ACCESS_K1CODE 0xba /* present, ring 1, code, readable */
#define ACCESS_K1DATA 0xb2 /* present, ring 1, data, writable */
#define ACCESS_UCODE  0xfa /* present, ring 3, code, readable */
#define ACCESS_UDATA  0xf2 /* present, ring 3, data, writable */
#define ACCESS_TSS    0x89 /* present, ring 0, available 32-bit TSS */

static uint64_t gdt[] = {
    0,
    SEGMENT(KERNEL_SEGMENT_BASE, ACCESS_KCODE),
    SEGMENT(KERNEL_SEGMENT_BASE, ACCESS_KDATA),
    SEGMENT(KERNEL_SEGMENT_BASE, ACCESS_K1CODE),
    SEGMENT(KERNEL_SEGMENT_BASE, ACCESS_K1DATA),
    0, /* the TSS: its base is a link-time address, filled by gdt_init */
    0, /* the double-fault TSS, the same */
    SEGMENT_PAGES(0, USER_PAGES, ACCESS_UCODE),
    SEGMENT_PAGES(0, USER_PAGES, ACCESS_UDATA),
};

/* Only ss0:esp0 (where ring 0 takes its stack), ss1:esp1 (where a kernel
 * call from ring 3 lands: the running thread's kernel stack) and the I/O
 * map base are used: the only task switch is into the double-fault task
 * (dfault.c). */
struct tss x86_tss;

_Static_assert(SEL_KCODE == 1 * 8 && SEL_KDATA == 2 * 8, "selectors index the GDT");
_Static_assert(SEL_K1CODE == (3 * 8 | 1) && SEL_K1DATA == (4 * 8 | 1), "ring-1 selectors, RPL 1");
_Static_assert(SEL_TSS == 5 * 8 && SEL_DF_TSS == 6 * 8, "the TSSs follow the kernel segments");
_Static_assert(SEL_UCODE == (7 * 8 | 3) && SEL_UDATA == (8 * 8 | 3) &&
                   SEL_UDATA / 8 + 1 == sizeof gdt / 8,
               "ring-3 selectors, RPL 3, last");
_Static_assert(SEGMENT_PAGES(0, USER_PAGES, ACCESS_UDATA) == 0x00c7f2000000ffffull,
               "user data: base 0, limit 2 GiB - 1, DPL 3");
_Static_assert(SEGMENT(0x40000000u, ACCESS_KCODE) == 0x40cf9a000000ffffull,
               "the same descriptor as boot.S's");

/* A byte-granular system descriptor (the TSS's). */
static uint64_t system_descriptor(uint32_t base, uint32_t limit, uint8_t access)
{
    return (uint64_t)(limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16) |
           ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
           ((uint64_t)(base >> 24) << 56);
}

void gdt_set_tss(unsigned sel, struct tss *t)
{
    t->iomap_base = sizeof *t; /* no I/O map: IOPL decides */
    gdt[sel / 8] = system_descriptor(virt_to_linear(t), sizeof *t - 1, ACCESS_TSS);
}

void gdt_init(void)
{
    x86_tss.ss0 = SEL_KDATA;
    x86_tss.esp0 = (uint32_t)(uintptr_t)interrupt_stack_top;
    x86_tss.ss1 = SEL_K1DATA; /* esp1: arch_set_kernel_stack, at every switch */
    gdt_set_tss(SEL_TSS, &x86_tss);
    double_fault_init();
    struct gdt_desc d = {sizeof gdt - 1, virt_to_linear(gdt)};
    __asm__ volatile("lgdt %0\n\t"
                     "movw %w1, %%ds\n\t"
                     "movw %w1, %%es\n\t"
                     "movw %w1, %%ss\n\t"
                     "movw %w1, %%fs\n\t"
                     "movw %w1, %%gs\n\t"
                     "ljmp %2, $1f\n"
                     "1:\n\t"
                     "ltr %w3" ::"m"(d),
                     "r"(SEL_KDATA), "i"(SEL_KCODE), "r"(SEL_TSS)
                     : "memory");
}

/* Leave ring 0 for good: iret to the next instruction at ring 1 on the
 * same stack, with IOPL 1 and interrupts still off. The boot context then
 * becomes the thread "main" like any other ring-1 code. The data segments
 * are loaded first: iret would null ring-0 ones. */
void ring1_enter(void)
{
    __asm__ volatile("movw %w0, %%ds\n\t"
                     "movw %w0, %%es\n\t"
                     "movw %w0, %%fs\n\t"
                     "movw %w0, %%gs\n\t"
                     "movl %%esp, %%eax\n\t"
                     "pushl %0\n\t"
                     "pushl %%eax\n\t"
                     "pushfl\n\t"
                     "orl %2, (%%esp)\n\t"
                     "pushl %1\n\t"
                     "pushl $1f\n\t"
                     "iret\n"
                     "1:" ::"r"(SEL_K1DATA),
                     "i"(SEL_K1CODE), "i"(EFLAGS_IOPL1)
                     : "eax", "memory", "cc");
}
