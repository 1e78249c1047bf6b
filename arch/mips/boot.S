/* The MIPS entry point. QEMU's malta boot stub jumps here in kseg0 with
 * a0 = argc, a1 = argv, a2 = the environment (name/value pointer pairs),
 * a3 = RAM size in bytes, and Status.BEV/ERL still set from reset. */
#include <arch/mips.h>

    .section .text.start, "ax"
    .set noreorder
    .globl _start
_start:
    move $s0, $a0
    move $s1, $a1
    move $s2, $a2
    move $s3, $a3
    /* kernel mode, CP0 usable, interrupts off, normal exception vectors */
    li $t0, ST_CU0
    mtc0 $t0, C0_STATUS
    ehb
    /* zero .bss (the boot stack lives there, so before using it) */
    la $t0, __bss_start
    la $t1, __bss_end
1:  beq $t0, $t1, 2f
    nop
    sw $zero, 0($t0)
    b 1b
    addiu $t0, $t0, 4
2:  la $sp, boot_stack_top
    move $fp, $zero
    move $a0, $s0
    move $a1, $s1
    move $a2, $s2
    jal mips_boot
    move $a3, $s3
3:  b 3b
    nop

    .bss
    .balign 16
    .globl boot_stack, boot_stack_top
boot_stack:
    .skip 16384
boot_stack_top:
