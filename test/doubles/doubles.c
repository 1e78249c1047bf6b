/* Host doubles for kernel services used by machine-independent code under
 * test: panic prints and aborts (a Criterion test expecting a panic uses
 * .signal = SIGABRT), and "physical memory" is a buffer a test provides. */
#include <arch/cpu.h>
#include <kernel/panic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

unsigned char *host_phys_mem;
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
