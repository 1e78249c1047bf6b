/* MIPS user mode (see <kernel/arch.h>): a user thread's first frame, the
 * kernel-call path's state, and the ways between kernel mode and user mode
 * that are not a trap's return. The kernel call itself is kcall_entry in
 * trap.S. */
#include <arch/mips.h>
#include <kernel/arch.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>

_Static_assert(ST_KSU_USER == STATUS_UM, "trap.S and <arch/user.h> agree on the user bit");

/* Read by kcall_entry (trap.S) with EXL set: kseg0 only. */
uint32_t mips_kstack_top;
struct trap_frame *mips_kcall_frame;

void arch_thread_init_user(struct arch_thread *t, uintptr_t pc, uintptr_t sp, uintptr_t arg)
{
    memset(&t->frame, 0, sizeof t->frame);
    t->frame.regs[29] = sp;
    t->frame.regs[4] = arg;
    t->frame.epc = pc;
    /* the eret leaves EXL for user mode with interrupts on, the kernel
     * threads' interrupt mask, and no coprocessor 0 */
    uint32_t keep = read_c0_status() & ~(uint32_t)(ST_ERL | ST_CU0);
    t->frame.status = keep | ST_EXL | ST_KSU_USER | ST_IE;
}

/* The scheduler calls this at every switch, with the next thread current:
 * its kernel calls enter on its stack and save into its own frame. */
void arch_set_kernel_stack(uintptr_t top)
{
    mips_kstack_top = top;
    mips_kcall_frame = &thread_current()->arch.user;
}

/* The trap's exit (trap.S) resumes the rewritten frame: in kernel mode
 * (EXL for the eret, KSU cleared), interrupts on, so it keeps the kernel
 * ASID that every trap entry set. */
void arch_frame_call_kernel(struct trap_frame *tf, void (*fn)(void *), void *arg,
                            uintptr_t stack_top)
{
    tf->epc = (uint32_t)(uintptr_t)fn;
    tf->regs[4] = (uint32_t)(uintptr_t)arg;
    tf->regs[29] = stack_top - 16; /* the o32 argument area */
    tf->regs[31] = 0;
    tf->status = (tf->status & ~(uint32_t)ST_KSU_USER) | ST_EXL | ST_IE;
}

/* *tf may be on the (mapped) kernel stack, which must not be touched once
 * EXL is set: copy it into the thread's kernel-call frame (kseg0) first,
 * then leave as a kernel call does. */
void arch_return_to_user(const struct trap_frame *tf)
{
    arch_irq_disable();
    struct trap_frame *f = &thread_current()->arch.user;
    if (tf != f)
        *f = *tf;
    mips_resume_user(f);
}

/* A word of user memory, through the bias and a probe. */
static bool user_word(uintptr_t a, uint32_t *w)
{
    return a >= USER_BASE && a < USER_END && a % 4 == 0 &&
           arch_probe_read32((const volatile uint32_t *)(a + USER_KERNEL_BIAS), w);
}

static bool user_data(const struct unwind *u, uintptr_t a, uint32_t *w)
{
    (void)u;
    return user_word(a, w);
}

/* MIPS code keeps no frame chain: the kernel's prologue-scanning walk
 * (machine.c), reading the user's code and stack through probes. */
unsigned arch_user_backtrace(const struct trap_frame *tf, uintptr_t *pcs, unsigned max)
{
    static const struct mips_unwind_reader user = {user_word, user_data};
    struct unwind u;
    arch_unwind_from_trap(&u, tf);
    unsigned n = 0;
    if (max)
        pcs[n++] = u.pc;
    while (n < max && mips_unwind_step(&u, &user))
        pcs[n++] = u.pc;
    return n;
}

void arch_frame_set_call(struct trap_frame *tf, uintptr_t pc, uintptr_t sp, uintptr_t arg)
{
    tf->epc = (uint32_t)pc;
    tf->regs[29] = (uint32_t)sp;
    tf->regs[4] = (uint32_t)arg;
}

void arch_enter_image(uintptr_t entry, uintptr_t arg)
{
    register uintptr_t a0 __asm__("$4") = arg;
    __asm__ volatile("jr %0\n\tnop" : : "r"(entry), "r"(a0));
    __builtin_unreachable();
}
