/* The double-fault task. Ring 0 runs only on the interrupt stack, so a
 * double fault means the kernel itself is broken (the interrupt stack
 * overflowed past its check, or ring-0 code set a bad esp). Its gate is a
 * task gate: the CPU switches to this TSS, with a stack of its own, so the
 * fault is reported instead of becoming a triple fault (a silent reset)
 * when the stack it faulted on is unusable. */
#include <arch/x86.h>
#include <kernel/panic.h>

#define DF_STACK_SIZE 4096

extern uint32_t boot_pgdir[];
extern char df_entry[];

static struct tss df_tss;
static char df_stack[DF_STACK_SIZE] __attribute__((aligned(16)));

void double_fault_init(void)
{
    df_tss.cr3 =
        (uint32_t)(uintptr_t)boot_pgdir; /* a physical address; the kernel half is shared */
    df_tss.eip = (uint32_t)(uintptr_t)df_entry;
    df_tss.esp = (uint32_t)(uintptr_t)(df_stack + DF_STACK_SIZE);
    df_tss.eflags = 0x2; /* interrupts off */
    df_tss.cs = SEL_KCODE;
    df_tss.ss = df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = SEL_KDATA;
    gdt_set_tss(SEL_DF_TSS, &df_tss);
}

/* From df_entry (trap.S). The task switch saved the faulting state in
 * the TSS that was current. */
void x86_double_fault(uint32_t error)
{
    const struct tss *t = &x86_tss;
    panic("double fault (error %u): eip %08x cs %04x esp %08x ss %04x", error, t->eip, t->cs,
          t->esp, t->ss);
}
