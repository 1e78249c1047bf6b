/* <stdio.h> on the console stream (console.c), formatted by the kernel's
 * own formatter (kernel/lib/kformat.c), so user and kernel output read
 * the same and the formatter is tested once. The stream's buffer is
 * shared by the process's threads: each output call holds the runtime's
 * lock, so lines do not mix mid-call. */
#include "console.h"
#include "lock.h"
#include <kernel/kprintf.h>
#include <stdio.h>

static struct rt_lock console_lock;

static void to_console(char c, void *arg)
{
    (void)arg;
    rt_console_putc(c);
}

int vprintf(const char *fmt, va_list ap)
{
    rt_lock(&console_lock);
    int n = kformat(to_console, NULL, fmt, ap);
    rt_unlock(&console_lock);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return kvsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int putchar(int c)
{
    rt_lock(&console_lock);
    int failed = rt_console_putc((char)c);
    rt_unlock(&console_lock);
    return failed == 0 ? (unsigned char)c : EOF;
}

int puts(const char *s)
{
    int failed = 0;
    rt_lock(&console_lock);
    while (*s)
        failed |= rt_console_putc(*s++);
    failed |= rt_console_putc('\n');
    rt_unlock(&console_lock);
    return failed ? EOF : 0;
}

int fflush_console(void)
{
    rt_lock(&console_lock);
    int failed = rt_console_flush();
    rt_unlock(&console_lock);
    return failed == 0 ? 0 : EOF;
}

char *gets_s(char *buf, size_t size)
{
    return rt_console_readline(buf, size) < 0 ? NULL : buf;
}
