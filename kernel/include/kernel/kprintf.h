/* Formatted output: kprintf to the console, ksnprintf/kvsnprintf to memory.
 *
 * Supported conversions: %d %i %u %x %X %o %p %s %c %%, with the flags
 * '-', '0' and '#', a field width (also '*'), a precision for %s, and the
 * length modifiers hh, h, l, ll, z and t. Unknown conversions are printed
 * as-is. Formatting never allocates and never writes past the buffer. */
#ifndef KERNEL_KPRINTF_H
#define KERNEL_KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Like C99 vsnprintf: returns the length the full output would have. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Print to the console (the serial port), converting \n to \r\n. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Character sink used by the formatter: it calls put(c, arg) per char. */
typedef void (*kfmt_sink)(char c, void *arg);
int kformat(kfmt_sink put, void *arg, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
