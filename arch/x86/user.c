/* x86 user mode (ring 3) for the arch contract (<kernel/arch.h>): a user
 * thread's first frame, the kernel stack a kernel call lands on, and the
 * two ways between a user frame and ring-1 thread code. The call path
 * itself is in kcall.S; docs/RING1-x86.md has the design. */
#include <arch/x86.h>
#include <kernel/arch.h>
#include <kernel/panic.h>
#include <kernel/string.h>

extern char call_kernel_entry[]; /* kcall.S */

/* EFLAGS for thread code at ring 3 and ring 1 alike: interrupts on,
 * IOPL 1, so cli, sti, in, out and hlt stay ring 1's (ring 3 gets a
 * protection fault) and popf at ring 3 cannot change IF. */
#define THREAD_EFLAGS (EFLAGS_IF | EFLAGS_IOPL1 | EFLAGS_ONE)

/* The first switch to t irets from ring 0 into this frame (trap.c's
 * resume and trap.S's exit): straight to ring 3 at pc. */
void arch_thread_init_user(struct arch_thread *t, uintptr_t pc, uintptr_t sp, uintptr_t arg)
{
    struct trap_frame *tf = &t->frame;
    memset(tf, 0, sizeof *tf);
    tf->gs = tf->fs = tf->es = tf->ds = SEL_UDATA;
    tf->eax = (uint32_t)arg;
    tf->eip = (uint32_t)pc;
    tf->cs = SEL_UCODE;
    tf->eflags = THREAD_EFLAGS;
    tf->esp = (uint32_t)sp;
    tf->ss = SEL_UDATA;
}

/* `int $0x80` from ring 3 switches to ss1:esp1. Other traps from ring 3
 * take ss0:esp0, the interrupt stack, like those from ring 1. */
void arch_set_kernel_stack(uintptr_t top)
{
    x86_tss.esp1 = (uint32_t)top;
}

void x86_call_kernel_returned(void)
{
    panic("a function arch_frame_call_kernel started returned");
}

/* The trap's exit irets from ring 0 to ring 1 at call_kernel_entry,
 * which pushes arg and jumps to fn: the stack is written at ring 1, as
 * thread code, where a fault on it is an ordinary one. ebp 0 ends
 * backtraces there. */
void arch_frame_call_kernel(struct trap_frame *tf, void (*fn)(void *), void *arg,
                            uintptr_t stack_top)
{
    /* Only a trap's frame leaves by an iret from ring 0 that loads esp: the
     * outermost one on the interrupt stack, or a thread's saved frame that
     * the exit copies there (the scheduler diverts a killed thread as it
     * switches to it). Not the kernel call's frame (on the kernel stack,
     * left by an iret from ring 1), where kcall_enter is thread code. */
    if (!arch_frame_from_user(tf) || tf->vector == KCALL_VECTOR)
        panic_trap(tf, "arch_frame_call_kernel: not a trap from user mode");
    *tf = (struct trap_frame){
        .gs = SEL_K1DATA,
        .fs = SEL_K1DATA,
        .es = SEL_K1DATA,
        .ds = SEL_K1DATA,
        .eax = (uint32_t)(uintptr_t)fn,
        .edx = (uint32_t)(uintptr_t)arg,
        .vector = tf->vector,
        .error = tf->error,
        .eip = (uint32_t)(uintptr_t)call_kernel_entry,
        .cs = SEL_K1CODE,
        .eflags = THREAD_EFLAGS,
        .esp = (uint32_t)stack_top,
        .ss = SEL_K1DATA,
    };
}

/* An iret from ring 1 to ring 1 would leave esp where the frame is and
 * drop its esp and ss: only a frame from ring 3 will do. */
void arch_return_to_user(const struct trap_frame *tf)
{
    if (!arch_frame_from_user(tf))
        panic_trap(tf, "arch_return_to_user: not a frame from user mode");
    x86_user_exit(tf);
}

/* The ebp chain on the user's stack (user code keeps frame pointers):
 * [ebp] is the caller's ebp, [ebp + 4] the return address, each read
 * through the bias with a probe. */
unsigned arch_user_backtrace(const struct trap_frame *tf, uintptr_t *pcs, unsigned max)
{
    unsigned n = 0;
    uint32_t fp = tf->ebp, ra, next;
    if (max)
        pcs[n++] = tf->eip;
    while (n < max && fp >= USER_BASE && fp < USER_END - 8 && (fp & 3) == 0) {
        const volatile uint32_t *frame = (const volatile uint32_t *)(fp + USER_KERNEL_BIAS);
        if (!arch_probe_read32(frame, &next) || !arch_probe_read32(frame + 1, &ra) || !ra)
            break;
        pcs[n++] = ra;
        if (next <= fp) /* the chain must climb the stack */
            break;
        fp = next;
    }
    return n;
}

void arch_frame_set_call(struct trap_frame *tf, uintptr_t pc, uintptr_t sp, uintptr_t arg)
{
    tf->eip = (uint32_t)pc;
    tf->esp = (uint32_t)sp;
    tf->eax = (uint32_t)arg;
}

void arch_enter_image(uintptr_t entry, uintptr_t arg)
{
    __asm__ volatile("jmp *%0" : : "r"(entry), "a"(arg));
    __builtin_unreachable();
}
