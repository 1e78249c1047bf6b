/* Translation faults: where the arch's trap handlers hand a VTLB miss to
 * the machine-independent VM, and what kernel code uses to touch the
 * current user address space. */
#ifndef KERNEL_VMTRAP_H
#define KERNEL_VMTRAP_H

#include <kernel/arch.h>
#include <kernel/trap.h>
#include <kernel/vm/vtlb.h>

/* Make `as` current: the VTLB activates it and the fault path uses it for
 * user addresses. */
void vm_activate(struct as *as);

/* A translation fault at va, in space `as` (the arch picks the kernel's
 * or the current user space from the address), by an access: a VTLB miss.
 * Enters the translation, or hands a copy-on-write or auto-commit fault of
 * a thread to the fault helper (resolving it in the trap when it cannot
 * wait: a nested trap, or non-preemptible code), and returns for the
 * access to be retried. An exception is reported in vm_last_fault;
 * inside a probe the probe then fails, anywhere else the kernel panics
 * with the address and the reason. as == NULL means no space covers va. */
void vm_translation_fault(struct trap_frame *tf, struct as *as, vaddr_t va, uint32_t access);

/* The fault helper (kernel/vm/fault_helper.c): started after sched_init.
 * vm_defer_fault hands it a copy-on-write or auto-commit fault of the
 * current thread and blocks the thread (false if the fault cannot wait
 * and must be resolved in the trap). */
void vm_fault_helper_start(void);
bool vm_defer_fault(struct trap_frame *tf, struct as *as, vaddr_t va, uint32_t access);
/* as_resolve_fault for thread t's fault; a fault on t's kernel stack has
 * nobody to fail to (out of memory there is a panic, paper 3.4.2), so
 * its allocations are left out of fault injection (vm_inject_pause). */
SCODE vm_resolve_fault_of(struct thread *t, struct as *as, vaddr_t va, uint32_t access);
uint64_t vm_faults_deferred(void);
/* Ask the helper to reclaim unused stack pages (the timer does, every
 * second), and how many it has so far. */
void vm_request_stack_reclaim(void);
/* Have the helper run vtlb_tidy (any context, interrupts off included). */
void vm_request_vtlb_tidy(void);
uint64_t vm_stack_pages_reclaimed(void);

struct vm_fault_report {
    vaddr_t va;
    uint32_t access;
    enum vm_exception reason;
    struct as *as;
};
extern struct vm_fault_report vm_last_fault;

/* Faults by kind, as the fault path saw them. */
struct vm_fault_stats {
    uint64_t enters, cow, autocommit, exceptions, probe_failures;
};
void vm_get_fault_stats(struct vm_fault_stats *s);

/* The kernel's pointer to user address u of the current space. */
static inline void *user_ptr(vaddr_t u)
{
    return (void *)(uintptr_t)(u + USER_KERNEL_BIAS);
}

/* Read or write the 32-bit word at user address va of `as` (made current)
 * through the MMU; false, with vm_last_fault saying why, if the access
 * raised an exception. */
static inline bool vm_peek32(struct as *as, vaddr_t va, uint32_t *v)
{
    vm_activate(as);
    return arch_probe_read32(user_ptr(va), v);
}

static inline bool vm_poke32(struct as *as, vaddr_t va, uint32_t v)
{
    vm_activate(as);
    return arch_probe_write32(user_ptr(va), v);
}

/* An access as the VM names it (AS_PROT_READ, _WRITE, _EXECUTE) as a
 * trap names it (<kernel/trap.h>). */
enum trap_access vm_trap_access(uint32_t access);

#endif
