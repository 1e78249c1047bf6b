/* TLB exceptions (TLB refill that missed the software TLB, TLB invalid,
 * TLB modified) are VTLB misses: the faulting address and the mode name a
 * space and an address in it (the VTLB knows which is active; a kernel
 * access to the user's biased view is a miss at the user address), and the
 * machine-independent fault path (kernel/vm/trap.c) does the rest. Also the probes' fix-up, which
 * that path calls when a fault inside a probe is an exception. The same jobs as arch/x86/fault.c.
 */
#include <arch/mips.h>
#include <kernel/arch.h>
#include <kernel/vm/trap.h>

void mips_tlb_fault(struct trap_frame *tf, vaddr_t va, uint32_t access)
{
    vaddr_t space_va;
    struct as *as = mips_vtlb_fault_space(va, arch_frame_from_user(tf), &space_va);
    vm_translation_fault(tf, as, space_va, access);
    mips_vtlb_fault_done();
}

extern char probe_read_insn[], probe_write_insn[], probe_failed[];

/* A fault on a probe's one access resumes at probe_failed (probe.S),
 * which returns false from the probe. */
bool arch_probe_fixup(struct trap_frame *tf)
{
    if (tf->epc != (uintptr_t)probe_read_insn && tf->epc != (uintptr_t)probe_write_insn)
        return false;
    tf->epc = (uintptr_t)probe_failed;
    return true;
}
