/* Console text for user programs: output is buffered per line and
 * written with IConsole::Write (lib/console.c); the formats are the
 * kernel's (kernel/lib/kformat.c: %d %i %u %x %X %o %p %s %c %%, flags
 * '-', '0', '#', widths, %s precision, hh h l ll z t). */
#ifndef STDIO_H
#define STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int putchar(int c);
/* Writes s and a newline. */
int puts(const char *s);
/* Writes out what is buffered (a partial line); 0, or EOF if the console
 * refused it. */
int fflush_console(void);

/* Reads one line from the console (IConsole::ReadLine) into buf, without
 * its newline, NUL-terminated, at most size - 1 bytes (C11's gets_s
 * contract). Output is flushed first, so a prompt shows. NULL on error. */
char *gets_s(char *buf, size_t size);

#endif
