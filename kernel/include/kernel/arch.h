/* The arch contract: everything kernel/ needs from arch/x86 and arch/mips.
 *
 * Each arch provides the <arch/...> headers below (found through its
 * include path, so kernel/ never tests which arch it is built for) and
 * implements the functions declared here. Inline primitives live in the
 * headers: <arch/cpu.h> (interrupt flag, wait, breakpoint, ARCH_NAME),
 * <arch/io.h> (ISA port space), <arch/mmu.h> (page size, unmapped
 * memory), <arch/trap.h> (the trap frame). docs/ARCHITECTURE.md has the
 * whole contract and each arch's side of it. */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <stdbool.h>
#include <stdint.h>

/* Install the exception and interrupt vectors. Interrupts stay disabled. */
void arch_trap_init(void);

/* Start the periodic timer; its interrupt calls timer_tick() (<kernel/timer.h>). */
void arch_timer_init(unsigned hz);

/* A 64-bit counter that, under `qemu -icount shift=0`, advances by one
 * per guest instruction (x86: the TSC; MIPS: CP0 Count times 6). */
uint64_t arch_cycles(void);

/* End the machine: QEMU exits. status 0 means success. */
__attribute__((noreturn)) void arch_exit(int status);

/* Print the registers of a trap frame, one line per few registers. */
void arch_dump_registers(const struct trap_frame *tf);

/* Stack unwinding for backtraces. A cursor holds one frame's pc and
 * whatever the arch needs to find the caller's. */
struct unwind {
    uintptr_t pc, sp, fp, ra;
};

/* Start at the caller of arch_unwind_here (for panic without a trap). */
void arch_unwind_here(struct unwind *u);
/* Start at the instruction a trap interrupted. */
void arch_unwind_from_trap(struct unwind *u, const struct trap_frame *tf);
/* Step to the calling frame; false when there is none or the stack looks
 * wrong (the walk must never fault). */
bool arch_unwind_step(struct unwind *u);

/* Run fn(arg) on the interrupt stack (in unmapped memory), with interrupts
 * off, and return when it does; already on the interrupt stack, just call
 * it there, below the frames it holds. fn must not block or switch threads.
 * The AS-mutation functions of kernel_as run this way (paper 3.2.2), so
 * no kernel VTLB miss on a thread stack can happen while they hold the
 * kernel space's spinlock, which the miss path takes. */
void arch_run_on_interrupt_stack(void (*fn)(void *), void *arg);

/* Probes: a 32-bit load or store through a kernel pointer that turns an
 * exception into a false return instead of a panic (kernel code touching
 * user memory that may be invalid). arch_probe_fixup, called by the
 * translation-fault path, redirects a trap inside a probe to its failure
 * return and says whether it did. */
bool arch_probe_read32(const volatile uint32_t *p, uint32_t *out);
bool arch_probe_write32(volatile uint32_t *p, uint32_t v);
bool arch_probe_fixup(struct trap_frame *tf);

#endif
