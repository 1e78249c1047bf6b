/* The arch contract: everything kernel/ needs from arch/x86 and arch/mips,
 * in one place. kernel/arch_check.c checks at compile time that an arch
 * provides each inline, type and constant listed here with these types.
 *
 * Headers each arch provides under arch/A/include/arch/ (found through
 * its include path, so kernel/ never tests which arch it is built for):
 *
 * <arch/cpu.h>
 *   ARCH_NAME                           "x86" or "mips"
 *   ARCH_ELF_MACHINE                    e_machine of its executables
 *   unsigned long arch_irq_save(void)   disable interrupts, return the old state
 *   void arch_irq_restore(unsigned long)
 *   bool arch_irq_enabled(void)
 *   void arch_irq_enable(void), arch_irq_disable(void)
 *   void arch_wait_for_interrupt(void)  enable interrupts and wait for one
 *   void arch_breakpoint(void)          raise a breakpoint trap
 * <arch/copy.h>                        (also in the user runtime's build)
 *   void arch_copy_words(void *dst, const void *src, size_t words)
 *                                       32-bit words, both word aligned, fast
 * <arch/io.h>
 *   uint8_t io_read8(uint16_t port), void io_write8(uint16_t port, uint8_t)
 *                                       the ISA port space
 *   io_read16/io_write16, io_read32/io_write32   the same, 16 and 32 bits
 * <arch/mmu.h>
 *   paddr_t; PAGE_SHIFT, PAGE_SIZE
 *   UNMAPPED_BASE, UNMAPPED_SIZE        unmapped memory (paper 3.2.1)
 *   void *phys_to_virt(paddr_t), paddr_t virt_to_phys(const void *)
 *   void *phys_to_virt_uncached(paddr_t)   the unmapped view for device
 *                                       registers (MIPS kseg1, x86 the same)
 *   void arch_copy_page(void *dst, const void *src)   one page, both aligned, fast
 *   KERNEL_MAPPED_BASE, KERNEL_MAPPED_END   kernel_as's range
 *   USER_BASE, USER_END                 a user address space's range
 *   USER_KERNEL_BIAS                    the kernel sees user u at u + this (paper 3.3);
 *                                       3 GiB on both arches (docs/ARCHITECTURE.md)
 *   OVERLAP_BASE, OVERLAP_END           user addresses the kernel's own space has at the
 *                                       same virtual addresses (DLLs and services go here)
 * <arch/trap.h>
 *   struct trap_frame                   the registers a trap saves
 * <arch/thread.h>
 *   struct arch_thread                  a switched-out thread's context
 *   void arch_thread_save(struct arch_thread *, struct trap_frame *)
 *                                       keep the frame of a thread switched away
 *   struct trap_frame *arch_thread_frame(struct arch_thread *)
 *                                       the frame that resumes it
 *   uintptr_t arch_thread_sp(const struct arch_thread *)
 *                                       the stack pointer it resumes with
 *   bool arch_frame_preemptible(const struct trap_frame *)
 *                                       the trap interrupted thread code with
 *                                       interrupts on: a switch may happen
 *   bool arch_frame_irq_enabled(const struct trap_frame *)
 *                                       the trap interrupted code that had
 *                                       interrupts on
 *   void arch_yield(void)               trap into the scheduler
 * <arch/user.h>                         user mode (paper 3.3, 3.4)
 *   bool arch_frame_from_user(const struct trap_frame *)
 *                                       the trap interrupted user mode
 *   uintptr_t arch_frame_pc(const struct trap_frame *), arch_frame_sp(...)
 *   void arch_frame_set_pc(struct trap_frame *, uintptr_t)
 *   uint32_t arch_kcall_handle(const struct trap_frame *), arch_kcall_method(...)
 *   uintptr_t arch_kcall_block(const struct trap_frame *)
 *                                       a kernel call's handle, method index and
 *                                       argument block (a user address)
 *   void arch_kcall_set_result(struct trap_frame *, int32_t)
 *                                       what the call returns to user mode
 * <arch/vtlb.h>
 *   struct arch_vtlb_as                 a space's VTLB state (in struct as)
 *   struct arch_vtlb_stats              the VTLB's own counters
 *
 * Functions each arch implements are declared below, and the VTLB's in
 * <kernel/vm/vtlb.h> (vtlb_enter, vtlb_remove, vtlb_flush,
 * vtlb_synchronize, vtlb_activate, vtlb_as_init, vtlb_as_fini,
 * vtlb_get_stats, vtlb_print_arch_stats, vtlb_set_bound).
 *
 * What the arch calls in kernel/: kcall_enter (<kernel/ipc/kcall.h>), kmain (<kernel/boot.h>),
 * irq_dispatch (<kernel/irq.h>), timer_tick
 * (<kernel/timer.h>), trap_exception (<kernel/trap.h>),
 * vm_translation_fault (<kernel/vm/trap.h>), sched_trap_enter and
 * sched_trap_exit around every trap (<kernel/sched/sched.h>).
 * docs/ARCHITECTURE.md has each arch's side of the contract. */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <arch/copy.h>
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/mmu.h>
#include <arch/thread.h>
#include <arch/trap.h>
#include <arch/user.h>
#include <stdbool.h>
#include <stdint.h>

/* Install the exception and interrupt vectors. Interrupts stay disabled. */
void arch_trap_init(void);

/* Device interrupt lines (<kernel/irq.h>, both machines' two 8259s:
 * lines 0-15). Unmask or mask one line at the controller; the arch calls
 * irq_dispatch(line) for each device interrupt, after acknowledging it at
 * the controller (x86: the vector says the line; MIPS: hardware line IP2,
 * the PIIX4's 8259s polled for it). kernel/irq.c implements irq_register
 * and irq_unregister over these. */
void arch_irq_line_enable(unsigned irq);
void arch_irq_line_disable(unsigned irq);

/* PCI configuration space (drivers/pci): the 32-bit register at byte
 * offset reg (a multiple of 4, below 256) of bus/dev/fn. x86: mechanism
 * #1 at ports 0xCF8/0xCFC; MIPS: the GT-64120's PCI_0 configuration
 * address and data registers. A function that is not there reads all
 * ones. */
uint32_t arch_pci_config_read32(unsigned bus, unsigned dev, unsigned fn, unsigned reg);
void arch_pci_config_write32(unsigned bus, unsigned dev, unsigned fn, unsigned reg, uint32_t v);
/* The 8259 line that interrupt pin (1-4: INTA-INTD) of device dev on
 * bus 0 reaches, as the board wires it, or -1 where firmware has already
 * written it into the function's interrupt line register (x86: SeaBIOS)
 * or the pin goes nowhere. MIPS: no firmware runs before -kernel on
 * malta, so the arch knows the board's wiring of slots to the PIIX4's
 * PIRQA-D and reads the PIIX4's routing of those to 8259 lines. */
int arch_pci_irq_route(unsigned dev, unsigned pin);

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
 * whatever the arch needs to find the caller's. The walk reads only the
 * kernel image (boot and interrupt stacks included) and [stack_lo,
 * stack_hi), the stack of the thread that was running (0, 0: none). */
struct unwind {
    uintptr_t pc, sp, fp, ra;
    uintptr_t stack_lo, stack_hi;
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

/* Threads: make t's context start entry() on a stack ending at
 * stack_top, in kernel mode (x86: ring 1) with interrupts enabled. */
void arch_thread_init(struct arch_thread *t, void (*entry)(void), uintptr_t stack_top);

/* User mode (paper 3.3, 3.4; docs/ARCHITECTURE.md has both memory maps).
 *
 * A kernel call is a trap from user mode with a handle, a method index and
 * the user address of an argument block (x86: `int $0x80` with eax, edx,
 * ecx, result in eax; MIPS: `syscall` with a0, a1, a2, result in v0). The
 * arch saves the user registers as a struct trap_frame and calls
 * kcall_enter(frame) on the calling thread's kernel stack, in kernel mode
 * (x86: ring 1, straight from ring 3), interrupts on: the call runs as
 * thread code. When kcall_enter returns, the arch resumes user mode from
 * the frame, which kcall_enter may have changed. Every other trap from
 * user mode (interrupts, VTLB misses, exceptions) goes the usual way, on
 * the interrupt stack, and its exceptions reach trap_exception and
 * vm_translation_fault with a frame arch_frame_from_user says is user's. */

/* Make t's context start in user mode at pc, stack pointer sp, with arg in
 * the first argument register (x86: eax; MIPS: a0), interrupts on. */
void arch_thread_init_user(struct arch_thread *t, uintptr_t pc, uintptr_t sp, uintptr_t arg);

/* The thread about to run has its kernel stack ending at top: kernel calls
 * (and, on x86, nothing else) from its user mode enter there. The
 * scheduler calls it at every switch. */
void arch_set_kernel_stack(uintptr_t top);

/* Rewrite a trap frame from user mode so that it resumes fn(arg) in kernel
 * mode (x86: ring 1) on the stack ending at stack_top, interrupts on:
 * how a user exception taken on the interrupt stack becomes thread code.
 * fn never returns; it ends with arch_return_to_user or thread_exit. */
void arch_frame_call_kernel(struct trap_frame *tf, void (*fn)(void *), void *arg,
                            uintptr_t stack_top);

/* Make a frame from user mode start pc with stack pointer sp and arg in
 * the first argument register, other registers as they are (how a user
 * exception handler is started on the faulting thread). */
void arch_frame_set_call(struct trap_frame *tf, uintptr_t pc, uintptr_t sp, uintptr_t arg);

/* The return addresses of the user code a frame from user mode
 * interrupted, innermost first (pcs[0] is the frame's pc), at most max;
 * how many. Runs in the thread's own context (its space active) and reads
 * the user's stack only through probes, so a wild frame chain ends the
 * walk, not the kernel. x86 follows the ebp chain; MIPS, which keeps no
 * chain, scans the user code for prologues as its kernel walk does. */
unsigned arch_user_backtrace(const struct trap_frame *tf, uintptr_t *pcs, unsigned max);

/* Jump, in kernel mode on the current stack, to a runtime entry point
 * (lib/arch.h: _start, _thread_start) with arg where user mode would find
 * it (x86 eax, MIPS a0): how a kernel thread of the kernel process starts
 * the code of an image the loader mapped into kernel_as. */
__attribute__((noreturn)) void arch_enter_image(uintptr_t entry, uintptr_t arg);

/* From kernel mode on the current thread's kernel stack: disable
 * interrupts and resume user mode from *tf (a frame from user mode). */
__attribute__((noreturn)) void arch_return_to_user(const struct trap_frame *tf);

#endif
