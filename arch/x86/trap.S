/* Trap entry and exit. Each of the 256 vectors has a 16-byte stub (so
 * trap.c finds stub n at trap_vectors + 16 * n) that pushes a zero error
 * code where the CPU pushes none, then the vector number, and jumps to
 * trap_common, which completes struct trap_frame (<arch/trap.h>), calls
 * x86_trap(frame) and returns through the frame. Traps from rings 1 and 3
 * arrive on the interrupt stack (the TSS's esp0), nested ones stay on it; a
 * thread switch rewrites the outermost frame in place (trap.c), so the
 * exit is the same either way.
 *
 * priv_entry is PRIV_VECTOR's gate: one privileged instruction for ring 1
 * code, without the cost of a whole frame (it clobbers nothing).
 *
 * run_entry is RUN_VECTOR's gate, arch_run_on_interrupt_stack's way down
 * from ring 1: the CPU switches to the interrupt stack (TSS esp0) and
 * clears IF, fn runs at ring 0 there, iret goes back. */
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

    /* arch_run_on_interrupt_stack(fn, arg) (<kernel/arch.h>). Ring 0
     * runs only on the interrupt stack, so at ring 0 (a trap handler) fn
     * is called where esp is, with IF cleared; from a ring-1 thread it
     * goes down through RUN_VECTOR rather than pointing ring 1's esp at
     * the interrupt stack: then every rule the trap path relies on still
     * holds (a trap from ring 1 is the outermost, its frame at the top of
     * the interrupt stack; a trap from ring 0 is nested), and a fault in
     * fn is an ordinary nested ring-0 trap. The price is one int/iret
     * pair, as for PRIV_VECTOR. fn may clobber eax, ecx, edx (cdecl). */
    .globl arch_run_on_interrupt_stack
arch_run_on_interrupt_stack:
    movl 4(%esp), %eax
    movl 8(%esp), %edx
    movw %cs, %cx
    testb $3, %cl
    jz 1f
    int $RUN_VECTOR
    ret
1:  pushfl
    cli
    pushl %edx
    call *%eax
    addl $4, %esp
    popfl
    ret

    .globl run_entry
run_entry:
    pushl %edx
    call *%eax
    addl $4, %esp
    iret

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
