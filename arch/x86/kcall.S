/* User mode's ways in and out of ring 1 (docs/RING1-x86.md).
 *
 * kcall_entry is KCALL_VECTOR's gate (`int $0x80`, DPL 3, target the
 * ring-1 code segment): the CPU switches from ring 3 to ring 1 on TSS
 * ss1:esp1, the running thread's kernel stack (arch_set_kernel_stack), and
 * pushes the user ss, esp, eflags, cs, eip with IF cleared. The stub
 * completes a struct trap_frame exactly as trap_common does, calls
 * kcall_enter(frame) as thread code (ring 1, interrupts on), and returns
 * through the frame, which kcall_enter may have changed (eax: the result).
 * No interrupt-stack frame, no scheduler on the way: the call's cost is
 * the int/iret pair and the frame (paper 3.4.2).
 *
 * arch_return_to_user shares the exit (x86_user_exit): it points esp
 * at a frame from ring 3 and pops it. call_kernel_entry is where arch_frame_call_kernel
 * sends a user frame (user.c). */
#include <arch/user.h>
#include <arch/x86.h>

    .text
    .globl kcall_entry
kcall_entry:
    pushl $0 /* error */
    pushl $KCALL_VECTOR
    pushal
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    /* The kernel addresses memory through ds and es only (fs and gs keep
     * the user's selectors, which trap_common saves like any other). */
    movl $SEL_K1DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    sti /* ds and es are the kernel's: from here on this is thread code */
    pushl %esp /* the frame */
    call kcall_enter
    addl $4, %esp
    cli /* until iret restores the user's IF */
user_exit:
    popl %gs
    popl %fs
    popl %es
    popl %ds
    popal
    addl $8, %esp /* vector and error code */
    iret /* ring 1 -> ring 3: IOPL stays 1, IF comes from the frame */

    /* x86_user_exit(tf), arch_return_to_user's end (user.c): at ring 1,
     * on the thread's kernel stack; tf stays where it is and becomes the
     * stack for the last few pops. */
    .globl x86_user_exit
x86_user_exit:
    cli
    movl 4(%esp), %esp
    jmp user_exit

    /* arch_frame_call_kernel's ring-1 start: eax = fn, edx = arg, esp =
     * the stack's top. Calls fn(arg) as cdecl, the argument 16-byte
     * aligned as gcc expects. fn must not return; if it does, it returns
     * into a panic, not to address 0 (at ring 1, a user address). */
    .globl call_kernel_entry
call_kernel_entry:
    andl $-16, %esp
    subl $12, %esp
    pushl %edx
    pushl $x86_call_kernel_returned
    jmp *%eax
