/* Probes (<kernel/arch.h>): one load or store that may fault. If it does,
 * arch_probe_fixup (fault.c) resumes the trap at probe_failed, which
 * returns false. Neither probe pushes anything, so probe_failed returns
 * from whichever one faulted. */
    .text
    .globl arch_probe_read32, arch_probe_write32, probe_read_insn, probe_write_insn
    .globl probe_failed

arch_probe_read32: /* (const volatile uint32_t *p, uint32_t *out) */
    movl 4(%esp), %eax
probe_read_insn:
    movl (%eax), %eax
    movl 8(%esp), %ecx
    movl %eax, (%ecx)
    movl $1, %eax
    ret

arch_probe_write32: /* (volatile uint32_t *p, uint32_t v) */
    movl 4(%esp), %eax
    movl 8(%esp), %ecx
probe_write_insn:
    movl %ecx, (%eax)
    movl $1, %eax
    ret

probe_failed:
    xorl %eax, %eax
    ret
