/* The scratch page (paper 3.4.1): when kernel code in a kernel call
 * touches a user address that is invalid (free, reserved, a guard page,
 * read-only under a write), the fault maps the scratch page there instead
 * of failing, marks an exception pending on the calling thread, and the
 * call finishes; the exception is raised as the call returns. Every
 * scratch mapping is removed at every context switch and at the end of
 * the call, and a used scratch page is cleared, so nothing passes between
 * threads through it. Kernel code never copies in or out, nor validates. */
#ifndef KERNEL_VM_SCRATCH_H
#define KERNEL_VM_SCRATCH_H

#include <kernel/vm/vtlb.h>

void vm_scratch_init(void);
/* Stand the scratch page in for va of as (the current thread's user
 * space) and mark the exception pending; false if it cannot apply. */
bool vm_scratch_map(struct as *as, vaddr_t va, uint32_t access, enum vm_exception why);
/* Stand the scratch page in for va of as with prot, with no exception
 * (a no-exception mapping); false if there is no scratch page yet. */
bool vm_scratch_stand_in(struct as *as, vaddr_t va, uint32_t prot);
/* Remove every scratch mapping; clear the page if it was used. */
void vm_scratch_clear(void);
/* Times the scratch page stood in (for tests and the vm command). */
uint64_t vm_scratch_uses(void);

#endif
