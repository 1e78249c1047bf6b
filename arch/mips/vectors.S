/* Exception vectors and the common trap path. EBase points at
 * exception_base (4 KiB aligned in the kernel image); the TLB refill
 * vector (+0x000) and the general vector (+0x180) both enter trap_save,
 * which builds a struct trap_frame (<arch/trap.h>) on the current stack,
 * calls mips_trap(frame) and restores everything it saved. Nothing runs
 * mapped yet, so a refill is just another exception for mips_trap. */
#include <arch/mips.h>
#include <arch/trap.h>

#define SAVE(n)    sw $n, 16 + TF_REG(n)($sp)
#define RESTORE(n) lw $n, 16 + TF_REG(n)($sp)

    .section .text.vectors, "ax"
    .set noreorder
    .set noat
    .globl exception_base
exception_base:
    j trap_save /* +0x000: TLB refill */
    nop
    .org 0x180
    j trap_save /* +0x180: everything else */
    nop

    .text
trap_save:
    move $k1, $sp
    addiu $sp, $sp, -TF_STACK
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
