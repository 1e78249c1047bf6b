/* Page faults (vector 14) are VTLB misses: CR2's linear address names a
 * space and an address in it, and the machine-independent fault path
 * (kernel/vm/trap.c) does the rest. Also the probes' fix-up, which that
 * path calls when a fault inside a probe is an exception. */
#include <arch/paging.h>
#include <arch/x86.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/trap.h>

#define PF_WRITE 0x2
#define PF_USER  0x4
#define PF_FETCH 0x10

#define LINEAR_KERNEL_MAPPED 0x80000000u /* linear 2-3 GiB: kernel_as */
#define LINEAR_DIRECT_MAP    0xc0000000u /* linear 3-4 GiB: never faults */

static uint32_t fault_access(uint32_t error)
{
    if (error & PF_FETCH)
        return AS_PROT_EXECUTE;
    return error & PF_WRITE ? AS_PROT_WRITE : AS_PROT_READ;
}

/* Linear [0, 2 GiB) is the current user space at va = linear; [2, 3 GiB)
 * the kernel's space at its kernel virtual address. Anything else (the
 * direct map, which never faults unless the kernel is broken; a user
 * address with no current space; kernel space from user mode) has no
 * space, and is reported at the address the code used. A present-page
 * (protection) fault goes the same way: the tree may allow more now. */
void x86_page_fault(struct trap_frame *tf)
{
    uint32_t lin = read_cr2(), access = fault_access(tf->error);
    bool user_mode = tf->error & PF_USER;
    struct as *as = 0;
    vaddr_t va = user_mode ? lin : lin - KERNEL_SEGMENT_BASE;
    if (lin < LINEAR_KERNEL_MAPPED && current_as) {
        as = current_as;
        va = lin;
        x86_vtlb_count_miss(false);
    } else if (lin >= LINEAR_KERNEL_MAPPED && lin < LINEAR_DIRECT_MAP && !user_mode) {
        as = &kernel_as;
        x86_vtlb_count_miss(true);
    }
    vm_translation_fault(tf, as, va, access);
}

extern char probe_read_insn[], probe_write_insn[], probe_failed[];

/* A fault on a probe's one access resumes at probe_failed (probe.S),
 * which returns false from the probe. */
bool arch_probe_fixup(struct trap_frame *tf)
{
    if (tf->eip != (uintptr_t)probe_read_insn && tf->eip != (uintptr_t)probe_write_insn)
        return false;
    tf->eip = (uintptr_t)probe_failed;
    return true;
}
