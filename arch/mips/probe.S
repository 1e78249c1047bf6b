/* Probes (<kernel/arch.h>): one load or store that may fault. If it does,
 * arch_probe_fixup (fault.c) sends the trap back to probe_failed, which
 * returns false. */
    .text
    .set noreorder
    .globl arch_probe_read32, arch_probe_write32, probe_read_insn, probe_write_insn
    .globl probe_failed

arch_probe_read32: /* (const volatile uint32_t *p, uint32_t *out) */
probe_read_insn:
    lw $t0, 0($a0)
    sw $t0, 0($a1)
    jr $ra
    li $v0, 1

arch_probe_write32: /* (volatile uint32_t *p, uint32_t v) */
probe_write_insn:
    sw $a1, 0($a0)
    jr $ra
    li $v0, 1

probe_failed:
    jr $ra
    move $v0, $zero
