/* The machine-independent end of a translation fault (see
 * <kernel/vm/trap.h>). */
#include <kernel/vm/kmem.h>
#include <kernel/irq.h>
#include <kernel/panic.h>
#include <kernel/proc/uexception.h>
#include <kernel/sched/sched.h>
#include <kernel/trap.h>
#include <kernel/vm/scratch.h>
#include <kernel/vm/trap.h>

struct vm_fault_report vm_last_fault;
static struct vm_fault_stats stats;

void vm_activate(struct as *as)
{
    current_as = as;
    vtlb_activate(as);
}

static const char *access_name(uint32_t access)
{
    return access == AS_PROT_WRITE ? "write" : access == AS_PROT_EXECUTE ? "execute" : "read";
}

enum trap_access vm_trap_access(uint32_t access)
{
    return access == AS_PROT_WRITE     ? ACCESS_WRITE
           : access == AS_PROT_EXECUTE ? ACCESS_EXEC
                                       : ACCESS_READ;
}

static void resolve_in_thread(struct trap_frame *tf, struct thread *self, struct as *as, vaddr_t va,
                              uint32_t access, void (*fn)(void *));

/* User code's first access to a guard page, in thread context: clear the
 * guard (only that page's), then raise the guard-page exception; the
 * handler may retry the access, which finds the page's own protection.
 * Another thread's access that cleared it first: just retry. */
static void guard_user_fault(void *unused)
{
    (void)unused;
    struct thread *self = thread_current();
    SCODE sc = as_clear_guard(self->fault_as, self->fault_va);
    if (sc != S_FALSE) { /* cleared (or out of memory: an access violation) */
        struct trap_info info = {TRAP_PAGE_FAULT, vm_trap_access(self->fault_access),
                                 self->fault_va, sc == S_OK ? VMX_GUARD : VMX_NONE};
        uexception_deliver(&self->fault_frame, &info);
    }
    arch_return_to_user(&self->fault_frame);
}

/* What every failed access from the kernel tries first: a probe's
 * fix-up, or, for a kernel call's access to its caller's memory, the
 * scratch page standing in (the caller gets the exception as the call
 * returns). Whether one of them took it. */
static bool kernel_stand_in(struct trap_frame *tf, struct as *as, vaddr_t va, uint32_t access,
                            enum vm_exception why)
{
    stats.exceptions++;
    vm_last_fault = (struct vm_fault_report){va, access, why, as};
    if (arch_probe_fixup(tf)) {
        stats.probe_failures++;
        return true;
    }
    return !arch_frame_from_user(tf) && as != &kernel_as && vm_scratch_map(as, va, access, why);
}

static void exception(struct trap_frame *tf, struct as *as, vaddr_t va, uint32_t access,
                      enum vm_exception why)
{
    if (kernel_stand_in(tf, as, va, access, why))
        return;
    struct thread *self = thread_current();
    if (why == VMX_GUARD && arch_frame_from_user(tf) && self && self->process &&
        sched_trap_outermost()) {
        resolve_in_thread(tf, self, as, va, access, guard_user_fault);
        return; /* the trap's exit goes to guard_user_fault */
    }
    if (arch_frame_from_user(tf)) { /* user code's own bad access: its exception */
        struct trap_info info = {TRAP_PAGE_FAULT, vm_trap_access(access), va, why};
        trap_exception(tf, &info);
        return;
    }
    panic_trap(tf, "kernel %s of %#lx in %s: %s", access_name(access), (unsigned long)va,
               as ? as->name : "no address space", vm_exception_name(why));
}

/* A user thread's copy-on-write or auto-commit fault, resolved by the
 * thread itself in kernel mode on its own (empty) kernel stack: it holds
 * no kernel lock, so it may wait for the space's mutex or for memory, and
 * no helper thread or switch is needed (the fault helper is for faults on
 * kernel stacks, which a thread cannot resolve on itself, paper 3.4.2).
 * The access then misses again and its translation is entered by the
 * miss path (only that path knows which view to enter it in: MIPS enters
 * a user access under the user ASID). Out of memory is the user's
 * exception, not a panic. */
static void resolve_user_fault(void *unused)
{
    (void)unused;
    struct thread *self = thread_current();
    struct as *as = self->fault_as;
    vaddr_t va = self->fault_va;
    uint32_t access = self->fault_access;
    if (FAILED(as_resolve_fault(as, va, (int)access))) {
        struct trap_info info = {TRAP_PAGE_FAULT, vm_trap_access(access), va, VMX_NONE};
        uexception_deliver(&self->fault_frame, &info);
    }
    arch_return_to_user(&self->fault_frame); /* the access misses again, and is entered */
}

static void resolve_in_thread(struct trap_frame *tf, struct thread *self, struct as *as, vaddr_t va,
                              uint32_t access, void (*fn)(void *))
{
    self->fault_as = as;
    self->fault_va = va;
    self->fault_access = access;
    self->fault_frame = *tf;
    arch_frame_call_kernel(tf, fn, 0, self->stack_hi);
}

/* Device interrupt handlers touch unmapped memory only (paper 2.3), so
 * the VM never serves an interrupt: a miss from one is the handler's bug,
 * caught here wherever its translation was not cached. */
static void check_not_in_device_interrupt(struct trap_frame *tf, vaddr_t va)
{
    if (irq_in_handler())
        panic_trap(tf, "device interrupt handler touched mapped memory at %#lx", (unsigned long)va);
}

/* A copy-on-write or auto-commit fault that found no memory. User code's
 * own access is its exception (resolve_user_fault); a kernel call's
 * access to its caller's memory is the caller's too, as for any bad user
 * pointer: the scratch page stands in and the exception is raised as the
 * call returns (a Fill into an auto-commit range larger than the machine
 * panicked here: test_fuzz, seed 17). Only the kernel's own memory
 * panics. */
static void out_of_memory(struct trap_frame *tf, struct as *as, vaddr_t va, uint32_t access)
{
    if (kernel_stand_in(tf, as, va, access, VMX_NONE))
        return;
    panic_trap(tf, "out of memory resolving a fault at %#lx in %s", (unsigned long)va, as->name);
}

SCODE vm_resolve_fault_of(struct thread *t, struct as *as, vaddr_t va, uint32_t access)
{
    bool stack = as == &kernel_as && stack_contains(t, va);
    if (stack)
        vm_inject_pause(true);
    SCODE sc = as_resolve_fault(as, va, (int)access);
    if (stack)
        vm_inject_pause(false);
    return sc;
}

void vm_translation_fault(struct trap_frame *tf, struct as *as, vaddr_t va, uint32_t access)
{
    check_not_in_device_interrupt(tf, va);
    if (!as) {
        exception(tf, as, va, access, VMX_FREE);
        return;
    }
    struct thread *self = thread_current();
    if (self && self->fault_error != S_OK) { /* the helper could not resolve it */
        self->fault_error = S_OK;
        out_of_memory(tf, as, va, access);
        return;
    }
    for (int tries = 0; tries < 3; tries++) {
        struct vtlb_mapping m;
        switch (vtlb_miss(as, va, access, &m)) {
        case VTLB_ENTER:
            stats.enters++;
            vtlb_enter(as, va, &m);
            return;
        case VTLB_COW_FAULT:
        case VTLB_AUTOCOMMIT_FAULT:
            if (m.kind == VTLB_COW_FAULT)
                stats.cow++;
            else
                stats.autocommit++;
            /* A probe should have taken a stack's auto-commit fault before
             * code became non-preemptible. A mere miss (VTLB_ENTER) on a
             * committed stack page is not counted: the VTLB may drop any
             * translation at any time, no probe can prevent it, and
             * non-preemptible code may take misses (paper 3.2.2). */
            if (m.kind == VTLB_AUTOCOMMIT_FAULT && tries == 0 && stack_contains(self, va) &&
                (np_depth() > 1 || !arch_frame_preemptible(tf)))
                stack_count_unprobed_fault();
            if (arch_frame_from_user(tf) && self && self->process && sched_trap_outermost()) {
                resolve_in_thread(tf, self, as, va, access, resolve_user_fault);
                return; /* the trap's exit goes to resolve_user_fault */
            }
            if (vm_defer_fault(tf, as, va, access))
                return; /* the trap's exit switches away; the access is retried */
            if (vm_resolve_fault_of(self, as, va, access) != S_OK) {
                out_of_memory(tf, as, va, access);
                return;
            }
            break;
        case VTLB_SCRATCH:
            if (vm_scratch_stand_in(as, va, m.prot))
                return;
            exception(tf, as, va, access, m.reason);
            return;
        case VTLB_EXCEPTION:
            exception(tf, as, va, access, m.reason);
            return;
        }
    }
    panic_trap(tf, "fault at %#lx in %s keeps recurring", (unsigned long)va, as->name);
}

void vm_get_fault_stats(struct vm_fault_stats *s)
{
    *s = stats;
}
