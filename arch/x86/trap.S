/* Trap entry and exit. Each of the 256 vectors has a 16-byte stub (so
 * trap.c finds stub n at trap_vectors + 16 * n) that pushes a zero error
 * code where the CPU pushes none, then the vector number, and jumps to
 * trap_common, which completes struct trap_frame (<arch/trap.h>), calls
 * x86_trap(frame) and returns through the frame x86_trap gives back: the
 * same one, or after a thread switch the next thread's, on its stack. */
#include <arch/x86.h>

    .text
    .globl trap_vectors
    .balign 16
trap_vectors:
    .set vec, 0
    .rept 256
    .balign 16
    .if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushl $0
    .endif
    pushl $vec
    jmp trap_common
    .set vec, vec + 1
    .endr

trap_common:
    pushal
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    movw $SEL_KDATA, %ax
    movw %ax, %ds
    movw %ax, %es
    pushl %esp /* the frame */
    call x86_trap
    movl %eax, %esp /* the frame to resume: this one, or another thread's */
    popl %gs
    popl %fs
    popl %es
    popl %ds
    popal
    addl $8, %esp /* vector and error code */
    iret
