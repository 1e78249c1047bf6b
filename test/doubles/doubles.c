/* Host doubles for kernel services used by machine-independent code under
 * test: panic prints and aborts (a Criterion test expecting a panic uses
 * .signal = SIGABRT), "physical memory" is a buffer a test provides, and
 * the host has one stack, so running on the interrupt stack just calls. */
#include <arch/cpu.h>
#include <kernel/arch.h>
#include <kernel/panic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

unsigned char *host_phys_mem;
void (*host_copy_page_hook)(void);
bool host_irq_enabled = true;

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "PANIC: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

void panic_trap(const struct trap_frame *tf, const char *fmt, ...)
{
    (void)tf;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "PANIC (trap): ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

unsigned long host_interrupt_stack_runs;

void arch_run_on_interrupt_stack(void (*fn)(void *), void *arg)
{
    unsigned long irq = arch_irq_save();
    host_interrupt_stack_runs++;
    fn(arg);
    arch_irq_restore(irq);
}
