/* panic: report and stop. The report ends with a backtrace of raw
 * addresses, one "  #N 0xADDR" line per frame, which tools/symbolize (and
 * the integration harness) turn into function, file and line on the host. */
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/sched/sched.h>

#define PANIC_EXIT_STATUS 2
#define BACKTRACE_MAX     32

static int panicking;

/* The walk may read the running thread's stack too: its frames above the
 * stack pointer were written, so they are there. */
static void backtrace(struct unwind *u)
{
    struct thread *t = thread_current();
    if (t) {
        u->stack_lo = t->stack_lo;
        u->stack_hi = t->stack_hi;
    }
    kprintf("backtrace:\n");
    for (int depth = 0; depth < BACKTRACE_MAX; depth++) {
        kprintf("  #%d %#lx\n", depth, (unsigned long)u->pc);
        if (!arch_unwind_step(u))
            return;
    }
    kprintf("  ...\n");
}

/* Print "PANIC: message"; a panic while panicking stops at once. */
static void panic_begin(const char *fmt, va_list ap)
{
    arch_irq_disable();
    if (panicking++) {
        kprintf("\nPANIC (nested): ");
        kvprintf(fmt, ap);
        kprintf("\n");
        arch_exit(PANIC_EXIT_STATUS);
    }
    kprintf("\nPANIC: ");
    kvprintf(fmt, ap);
    kprintf("\n");
}

void panic(const char *fmt, ...)
{
    struct unwind u;
    arch_unwind_here(&u);
    va_list ap;
    va_start(ap, fmt);
    panic_begin(fmt, ap);
    va_end(ap);
    kprintf("registers: pc %#lx sp %#lx fp %#lx\n", (unsigned long)u.pc, (unsigned long)u.sp,
            (unsigned long)u.fp);
    backtrace(&u);
    arch_exit(PANIC_EXIT_STATUS);
}

void panic_trap(const struct trap_frame *tf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    panic_begin(fmt, ap);
    va_end(ap);
    kprintf("registers:\n");
    arch_dump_registers(tf);
    struct unwind u;
    arch_unwind_from_trap(&u, tf);
    backtrace(&u);
    arch_exit(PANIC_EXIT_STATUS);
}
