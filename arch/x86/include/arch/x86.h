/* x86-only definitions shared by the files of arch/x86. */
#ifndef ARCH_X86_H
#define ARCH_X86_H

/* GDT selectors (arch/x86/boot.S builds the boot GDT with the same ones). */
#define SEL_KCODE 0x08 /* ring 0 code, base KERNEL_SEGMENT_BASE, wraps at 4 GiB */
#define SEL_KDATA 0x10 /* ring 0 data, same base */

#define IRQ_BASE  32 /* vector of IRQ 0 after remapping the PICs */
#define IRQ_TIMER 0

#ifndef __ASSEMBLER__
#include <stdint.h>

void gdt_init(void);
void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);

static inline uint32_t read_cr2(void)
{
    uint32_t v;
    __asm__ volatile("movl %%cr2, %0" : "=r"(v));
    return v;
}

#endif /* __ASSEMBLER__ */
#endif
