/* User mode: placeholders until the port lands (see <kernel/arch.h>). */
#include <kernel/arch.h>
#include <kernel/panic.h>

void arch_thread_init_user(struct arch_thread *t, uintptr_t pc, uintptr_t sp, uintptr_t arg)
{
    (void)t, (void)pc, (void)sp, (void)arg;
    panic("user mode: not yet");
}

void arch_set_kernel_stack(uintptr_t top)
{
    (void)top;
}

void arch_frame_call_kernel(struct trap_frame *tf, void (*fn)(void *), void *arg,
                            uintptr_t stack_top)
{
    (void)tf, (void)fn, (void)arg, (void)stack_top;
    panic("user mode: not yet");
}

void arch_return_to_user(const struct trap_frame *tf)
{
    (void)tf;
    panic("user mode: not yet");
}
