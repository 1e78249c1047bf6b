/* Trap entry and exit. Each of the 256 vectors has a 16-byte stub (so
 * trap.c finds stub n at trap_vectors + 16 * n) that pushes a zero error
 * code where the CPU pushes none, then the vector number, and jumps to
 * trap_common, which completes struct trap_frame (<arch/trap.h>), calls
 * x86_trap(frame) and returns through the frame. Traps from ring 1 arrive
 * on the interrupt stack (the TSS's esp0), nested ones stay on it; a
 * thread switch rewrites the outermost frame in place (trap.c), so the
 * exit is the same either way.
 *
 * priv_entry is PRIV_VECTOR's gate: one privileged instruction for ring 1
 * code, without the cost of a whole frame (it clobbers nothing). */
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
    addl $4, %esp
    popl %gs
    popl %fs
    popl %es
    popl %ds
    popal
    addl $8, %esp /* vector and error code */
    iret

    .globl priv_entry
priv_entry:
    cmpl $PRIV_LOAD_CR3, %eax
    jne 1f
    movl %edx, %cr3
    iret
1:  cmpl $PRIV_INVLPG, %eax
    jne 2f
    invlpg (%edx) /* through ds: ring 1's data segment, base 1 GiB too */
    iret
2:  cli /* PRIV_HALT */
    hlt
    jmp 2b

    /* The double-fault task's entry (dfault.c): the CPU switched to its
     * TSS and stack and pushed the error code; it never returns. */
    .globl df_entry
df_entry:
    call x86_double_fault
3:  hlt
    jmp 3b

    .bss
    .balign 16
    .globl interrupt_stack, interrupt_stack_top
interrupt_stack:
    .skip INTERRUPT_STACK_SIZE
interrupt_stack_top:
