/* User exceptions (see <kernel/proc/uexception.h>). */
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/proc/process.h>
#include <kernel/proc/uexception.h>
#include <kernel/sched/sched.h>
#include <kernel/vm/scratch.h>

#define UEXC_FRAMES 16 /* the deepest user backtrace reported */

static const char *const access_names[] = {"read", "write", "execute"};

uint32_t uexception_code(enum trap_kind kind)
{
    switch (kind) {
    case TRAP_PAGE_FAULT:
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
    process_terminate(p, (int32_t)uexception_code(i->kind));
    process_thread_exit(0);
}

static void report_entry(void *unused)
{
    (void)unused;
    end_with_report(thread_current());
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
    uint32_t a = self->pending_access;
    struct trap_info info = {TRAP_PAGE_FAULT,
                             a == AS_PROT_WRITE     ? ACCESS_WRITE
                             : a == AS_PROT_EXECUTE ? ACCESS_EXEC
                                                    : ACCESS_READ,
                             self->pending_va, (uint32_t)self->pending_why};
    record(self, tf, &info);
    end_with_report(self);
}
