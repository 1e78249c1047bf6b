/* Exception vectors and the common trap path. EBase points at
 * exception_base (4 KiB aligned in the kernel image).
 *
 * +0x000, TLB refill: the fast path of the VTLB. It looks the missing
 * page pair up in the 2-way software TLB (arch/mips/vtlb.c) using only k0
 * and k1, and writes the hardware TLB; way 0 hits in 19 instructions,
 * the set's refill counter included. A miss in both ways marks
 * stlb_refill_missed and takes the general path.
 *
 * +0x180, everything else: trap_save moves to the interrupt stack (unless
 * already on it), builds a struct trap_frame (<arch/trap.h>), calls
 * mips_trap(frame) and restores everything from the frame it returns:
 * the same one, or, after a thread switch, the next thread's (kept in
 * its struct thread). */
#include <arch/mips.h>
#include <arch/stlb.h>
#include <arch/trap.h>
#include <config.h>

#define INTERRUPT_STACK_SIZE 8192

#define SAVE(n)    sw $n, 16 + TF_REG(n)($sp)
#define RESTORE(n) lw $n, 16 + TF_REG(n)($sp)

    .section .text.vectors, "ax"
    .set noreorder
    .set noat
    .globl exception_base
exception_base:
    /* k1 = &stlb[((EntryHi >> 13) ^ EntryHi) mod sets][0]: the twin of
     * set_of in vtlb.c (and refill_way1's below); change them together */
    mfc0 $k0, C0_ENTRYHI
    srl $k1, $k0, 13
    xor $k0, $k1, $k0
    lui $k1, %hi(stlb)
    .globl refill_ins0
refill_ins0: /* vtlb.c rewrites the width when the bound changes */
    ins $k1, $k0, STLB_SET_SHIFT, CONFIG_VTLB_SET_BITS
    lw $k0, %lo(stlb + STLB_REFILLS)($k1) /* %lo(stlb) is 0: stlb is 64 KiB aligned */
    addiu $k0, $k0, 1
    sw $k0, STLB_REFILLS($k1)
    /* way 0: load both halves first, then check the tag */
    lw $k0, STLB_LO0($k1)
    mtc0 $k0, C0_ENTRYLO0
    lw $k0, STLB_LO1($k1)
    mtc0 $k0, C0_ENTRYLO1
    lw $k0, STLB_TAG($k1)
    mfc0 $k1, C0_ENTRYHI
    bne $k0, $k1, refill_way1
    nop
    ehb
    tlbwr
    eret
refill_way1: /* k1 = EntryHi; the set again, as set_of in vtlb.c computes it */
    srl $k0, $k1, 13
    xor $k0, $k0, $k1
    lui $k1, %hi(stlb)
    .globl refill_ins1
refill_ins1:
    ins $k1, $k0, STLB_SET_SHIFT, CONFIG_VTLB_SET_BITS
    lw $k0, %lo(stlb + STLB_ENTRY_SIZE + STLB_LO0)($k1)
    mtc0 $k0, C0_ENTRYLO0
    lw $k0, STLB_ENTRY_SIZE + STLB_LO1($k1)
    mtc0 $k0, C0_ENTRYLO1
    lw $k0, STLB_ENTRY_SIZE + STLB_TAG($k1)
    mfc0 $k1, C0_ENTRYHI
    bne $k0, $k1, refill_miss
    nop
    ehb
    tlbwr
    eret
refill_miss:
    lui $k0, %hi(stlb_refill_missed)
    li $k1, 1
    j trap_save
    sw $k1, %lo(stlb_refill_missed)($k0)
    .org 0x180
    j trap_save /* +0x180: everything else */
    nop

    .text
trap_save:
    move $k1, $sp
    /* onto the interrupt stack, unless already there */
    la $k0, interrupt_stack_top
    subu $k0, $k0, $sp
    sltiu $k0, $k0, INTERRUPT_STACK_SIZE + 1
    bnez $k0, 1f
    nop
    la $sp, interrupt_stack_top
1:  addiu $sp, $sp, -TF_STACK
    sw $k1, 16 + TF_REG(29)($sp)
    SAVE(1); SAVE(2); SAVE(3); SAVE(4); SAVE(5); SAVE(6); SAVE(7)
    SAVE(8); SAVE(9); SAVE(10); SAVE(11); SAVE(12); SAVE(13); SAVE(14); SAVE(15)
    SAVE(16); SAVE(17); SAVE(18); SAVE(19); SAVE(20); SAVE(21); SAVE(22); SAVE(23)
    SAVE(24); SAVE(25); SAVE(28); SAVE(30); SAVE(31)
    mflo $k0
    sw $k0, 16 + TF_LO($sp)
    mfhi $k0
    sw $k0, 16 + TF_HI($sp)
    mfc0 $k0, C0_EPC
    sw $k0, 16 + TF_EPC($sp)
    mfc0 $k0, C0_STATUS
    sw $k0, 16 + TF_STATUS($sp)
    mfc0 $k0, C0_CAUSE
    sw $k0, 16 + TF_CAUSE($sp)
    mfc0 $k0, C0_BADVADDR
    sw $k0, 16 + TF_BADVADDR($sp)
    jal mips_trap
    addiu $a0, $sp, 16
    addiu $sp, $v0, -16 /* the frame to resume: this one, or another thread's */

    lw $k0, 16 + TF_LO($sp)
    mtlo $k0
    lw $k0, 16 + TF_HI($sp)
    mthi $k0
    lw $k0, 16 + TF_EPC($sp)
    mtc0 $k0, C0_EPC
    lw $k0, 16 + TF_STATUS($sp) /* still has EXL: interrupts stay off until eret */
    mtc0 $k0, C0_STATUS
    RESTORE(1); RESTORE(2); RESTORE(3); RESTORE(4); RESTORE(5); RESTORE(6); RESTORE(7)
    RESTORE(8); RESTORE(9); RESTORE(10); RESTORE(11); RESTORE(12); RESTORE(13); RESTORE(14)
    RESTORE(15); RESTORE(16); RESTORE(17); RESTORE(18); RESTORE(19); RESTORE(20); RESTORE(21)
    RESTORE(22); RESTORE(23); RESTORE(24); RESTORE(25); RESTORE(28); RESTORE(30); RESTORE(31)
    lw $sp, 16 + TF_REG(29)($sp)
    ehb
    eret

    /* arch_run_on_interrupt_stack(fn, arg) (<kernel/arch.h>): interrupts
     * off, then fn(arg) at the top of the interrupt stack, or where sp
     * already is if it is inside it (trap_save's test: traps taken in fn
     * then nest below it, as in any trap). Off the interrupt stack no
     * trap frame is live on it: a thread's saved context is kept in its
     * struct thread, so its top is free. s0 keeps the caller's sp, s1 its
     * Status; the frame holds ra, s0, s1 and fn's 16-byte argument area. */
    .globl arch_run_on_interrupt_stack
arch_run_on_interrupt_stack:
    addiu $sp, $sp, -32
    sw $ra, 28($sp)
    sw $s0, 24($sp)
    sw $s1, 20($sp)
    di $s1
    ehb
    move $s0, $sp
    la $t0, interrupt_stack_top
    subu $t1, $t0, $sp
    sltiu $t1, $t1, INTERRUPT_STACK_SIZE + 1
    bnez $t1, 1f
    nop
    addiu $sp, $t0, -16 /* fn's argument area, inside the stack */
1:  move $t9, $a0
    jalr $t9
    move $a0, $a1
    move $sp, $s0
    andi $s1, $s1, 1 /* Status.IE */
    beqz $s1, 2f
    nop
    ei
    ehb
2:  lw $s1, 20($sp)
    lw $s0, 24($sp)
    lw $ra, 28($sp)
    jr $ra
    addiu $sp, $sp, 32

    /* The interrupt stack (paper 3.2.1), in unmapped memory: traps,
     * interrupts and VTLB misses run on it, so none of them can fault on a
     * thread stack. */
    .bss
    .balign 16
    .globl interrupt_stack, interrupt_stack_top
interrupt_stack:
    .skip INTERRUPT_STACK_SIZE
interrupt_stack_top:
