/* arch_unwind_here(struct unwind *u): record the caller's frame. A leaf
 * that touches no stack, so sp is still the caller's and ra points into it.
 * pc is the call itself (the jal, ra - 8: ra is past the delay slot), so
 * frame #0 names the line that called, like a trap's exact pc. */
    .text
    .set noreorder
    .globl arch_unwind_here
arch_unwind_here:
    addiu $t0, $ra, -8
    sw $t0, 0($a0)  /* pc */
    sw $sp, 4($a0)  /* sp */
    sw $fp, 8($a0)  /* fp */
    jr $ra
    sw $zero, 12($a0) /* ra: the caller's own is in its frame */
