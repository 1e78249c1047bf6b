/* kprintf: formatted output onto the serial console. Interrupts are held
 * off while a message is written, so lines from an interrupt handler never
 * land inside another message. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kprintf.h>

static void console_put(char c, void *arg)
{
    (void)arg;
    if (c == '\n')
        uart_putc('\r');
    uart_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
    unsigned long flags = arch_irq_save();
    int n = kformat(console_put, 0, fmt, ap);
    arch_irq_restore(flags);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
