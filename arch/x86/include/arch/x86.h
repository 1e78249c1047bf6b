/* x86-only definitions shared by the files of arch/x86 (the arch's private
 * header: kernel/ never includes it). */
#ifndef ARCH_X86_H
#define ARCH_X86_H

/* GDT selectors (arch/x86/boot.S builds the boot GDT with the first two).
 * Kernel threads run at ring 1 (paper 3.4.2); ring 0 runs only on the
 * interrupt stack, entered through the TSS. The ring-1 selectors carry
 * RPL 1. docs/RING1-x86.md has the whole picture. */
#define SEL_KCODE  0x08 /* ring 0 code, base KERNEL_SEGMENT_BASE, wraps at 4 GiB */
#define SEL_KDATA  0x10 /* ring 0 data, same base */
#define SEL_K1CODE 0x19 /* ring 1 code, same base; index 3, RPL 1 */
#define SEL_K1DATA 0x21 /* ring 1 data and stack, same base; index 4, RPL 1 */
#define SEL_TSS    0x28 /* the TSS: ss0:esp0 is the interrupt stack */
#define SEL_DF_TSS 0x30 /* the double-fault task's TSS (dfault.c) */
#define SEL_UCODE  0x3b /* ring 3 code, base 0, limit 2 GiB; index 7, RPL 3 */
#define SEL_UDATA  0x43 /* ring 3 data and stack, the same; index 8, RPL 3 */

#define EFLAGS_IOPL1 0x1000 /* ring 1 may cli, sti, in and out; ring 3 may not */
#define EFLAGS_ONE   0x0002 /* reads as one */

#define INTERRUPT_STACK_SIZE 8192

#define IRQ_BASE  32 /* vector of IRQ 0 after remapping the PICs */
#define IRQ_TIMER 0

/* Vectors ring 1 may raise with `int` (gate DPL 1); YIELD_VECTOR (0x81)
 * is in <arch/thread.h>, WAIT_VECTOR in <arch/cpu.h>. */
#define PRIV_VECTOR 0x82 /* a privileged instruction: eax = PRIV_*, edx = operand */
#define RUN_VECTOR  0x84 /* arch_run_on_interrupt_stack: eax = fn, edx = arg */

#define PRIV_LOAD_CR3 1
#define PRIV_INVLPG   2
#define PRIV_HALT     3 /* cli; hlt for good */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* The 32-bit TSS. */
struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
};
_Static_assert(sizeof(struct tss) == 104, "the 32-bit TSS");

extern struct tss x86_tss;

void gdt_init(void);
void gdt_set_tss(unsigned sel, struct tss *t);
void double_fault_init(void);
void idt_init(void);
void ring1_enter(void);
void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);

/* Entry points between the files of arch/x86 (never used by kernel/):
 * from trap.S and boot.S, and the page-fault entry trap.c calls. */
struct trap_frame;
void x86_boot(uint32_t magic, uint32_t mb_phys); /* boot.c */
void x86_trap(struct trap_frame *tf);            /* trap.c */
void x86_page_fault(struct trap_frame *tf);      /* fault.c */
void x86_double_fault(uint32_t error);           /* dfault.c */
/* kcall.S: pop a frame from ring 3 at tf and iret to it (from ring 1). */
__attribute__((noreturn)) void x86_user_exit(const struct trap_frame *tf);
/* user.c: where a function arch_frame_call_kernel started returns to. */
__attribute__((noreturn)) void x86_call_kernel_returned(void);

extern char interrupt_stack[], interrupt_stack_top[];
size_t x86_interrupt_stack_used(void);

static inline uint32_t read_cr2(void)
{
    uint32_t v;
    __asm__ volatile("movl %%cr2, %0" : "=r"(v));
    return v;
}

/* The privilege level the code runs at: 1 in threads, 0 in traps (and
 * at boot until ring1_enter). */
static inline uint32_t x86_cpl(void)
{
    uint32_t cs;
    __asm__ volatile("movl %%cs, %0" : "=r"(cs));
    return cs & 3;
}

/* Run privileged instruction `op` at ring 0 (PRIV_VECTOR, trap.S). */
static inline void x86_priv(uint32_t op, uint32_t operand)
{
    __asm__ volatile("int $0x82" ::"a"(op), "d"(operand) : "memory");
}

#endif /* __ASSEMBLER__ */
#endif
