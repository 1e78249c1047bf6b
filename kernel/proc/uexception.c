/* User exceptions (see <kernel/proc/uexception.h>). */
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/proc/process.h>
#include <kernel/string.h>
#include <kernel/proc/uexception.h>
#include <kernel/sched/sched.h>
#include <kernel/vm/scratch.h>
#include <kernel/vm/trap.h>

#define UEXC_FRAMES 16 /* the deepest user backtrace reported */

static const char *const access_names[] = {"read", "write", "execute"};

uint32_t uexception_code(const struct trap_info *info)
{
    switch (info->kind) {
    case TRAP_PAGE_FAULT:
        return info->code == VMX_GUARD ? UEXC_GUARD_PAGE : UEXC_ACCESS_VIOLATION;
    case TRAP_PROTECTION:
    case TRAP_ALIGNMENT:
    case TRAP_BUS:
        return UEXC_ACCESS_VIOLATION;
    case TRAP_ILLEGAL:
        return UEXC_ILLEGAL;
    case TRAP_DIVIDE:
    case TRAP_OVERFLOW:
        return UEXC_DIVIDE;
    case TRAP_BREAKPOINT:
        return UEXC_BREAKPOINT;
    default:
        return UEXC_OTHER;
    }
}

/* In thread context: the report, then the end of the process. */
static __attribute__((noreturn)) void end_with_report(struct thread *self)
{
    struct process *p = self->process;
    const struct trap_info *i = &self->uexc;
    const struct trap_frame *f = &self->uexc_frame;
    uintptr_t pcs[UEXC_FRAMES];
    unsigned frames = arch_user_backtrace(f, pcs, UEXC_FRAMES);
    kprintf("process %s (%u) thread %s: %s (%s of %#lx, cause %u) at pc %#lx sp %#lx\n", p->name,
            p->id, self->name, trap_kind_name(i->kind), access_names[i->access],
            (unsigned long)i->addr, i->code, (unsigned long)arch_frame_pc(f),
            (unsigned long)arch_frame_sp(f));
    kprintf("backtrace:\n");
    for (unsigned k = 0; k < frames; k++)
        kprintf("  #%u %#lx\n", k, (unsigned long)pcs[k]);
    process_terminate(p, (int32_t)uexception_code(i));
    process_thread_exit(0);
}

/* Hand the exception to the process's handler (IProcess::
 * SetExceptionHandler), if it has one and is not in it already: an
 * EXCEPTION_RECORD below the faulting stack pointer, written through
 * probes (a stack that cannot take it is the end), and the thread goes
 * back to user mode at the handler. False: no handler for it. */
static bool deliver(struct thread *self)
{
    struct process *p = self->process;
    const struct trap_frame *f = &self->uexc_frame;
    const struct trap_info *i = &self->uexc;
    if (!p->exception_handler || self->in_exception_handler)
        return false;
    uintptr_t sp = arch_frame_sp(f), at = ((sp - 256) & ~(uintptr_t)15) - 32;
    EXCEPTION_RECORD r = {uexception_code(i), i->kind, i->access, i->addr, arch_frame_pc(f), sp};
    _Static_assert(sizeof r % 4 == 0 && sizeof r <= 32, "the record fits its slot in words");
    const uint32_t *w = (const uint32_t *)&r;
    if (at < USER_BASE || sp > USER_END)
        return false;
    for (unsigned k = 0; k < sizeof r / 4; k++)
        if (!arch_probe_write32((volatile uint32_t *)(at + USER_KERNEL_BIAS) + k, w[k]))
            return false;
    struct trap_frame start = *f;
    arch_frame_set_call(&start, p->exception_handler, at - 16, at);
    self->in_exception_handler = true;
    arch_return_to_user(&start);
}

/* In thread context, the exception recorded: its handler, or the end. */
static __attribute__((noreturn)) void handle(struct thread *self)
{
    deliver(self);
    end_with_report(self);
}

static void report_entry(void *unused)
{
    (void)unused;
    handle(thread_current());
}

static void record(struct thread *self, const struct trap_frame *tf, const struct trap_info *info)
{
    self->uexc = *info;
    self->uexc_frame = *tf;
}

bool uexception_trap(struct trap_frame *tf, const struct trap_info *info)
{
    struct thread *self = thread_current();
    if (!self || !self->process)
        return false;
    record(self, tf, info);
    arch_frame_call_kernel(tf, report_entry, 0, self->stack_hi);
    return true;
}

void uexception_raise_pending(struct trap_frame *tf)
{
    vm_scratch_clear();
    struct thread *self = thread_current();
    if (!self || !self->fault_pending)
        return;
    self->fault_pending = false;
    /* a kernel call's access to a guard page: the guard goes now, the
     * exception is the guard page's (S_FALSE: another thread cleared it
     * first, the exception is still this call's) */
    if (self->pending_why == VMX_GUARD && FAILED(as_clear_guard(self->user_as, self->pending_va)))
        self->pending_why = VMX_NONE;
    struct trap_info info = {TRAP_PAGE_FAULT, vm_trap_access(self->pending_access),
                             self->pending_va, (uint32_t)self->pending_why};
    uexception_deliver(tf, &info);
}

void uexception_continue(struct trap_frame *tf)
{
    struct thread *self = thread_current();
    self->continue_pending = false;
    self->in_exception_handler = false;
    *tf = self->uexc_frame;
    if (self->continue_pc)
        arch_frame_set_pc(tf, self->continue_pc);
}

void uexception_deliver(const struct trap_frame *tf, const struct trap_info *info)
{
    struct thread *self = thread_current();
    record(self, tf, info);
    handle(self);
}
