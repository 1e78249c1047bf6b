/* The console stream under <stdio.h>: output buffered per line and
 * written with IConsole::Write of CurrentConsole(), and lines read with
 * IConsole::ReadLine. Pure code: the host tests run it on a fake console
 * (test/lib). Not thread-safe yet, like the heap. */
#ifndef LIB_CONSOLE_H
#define LIB_CONSOLE_H

#include <stddef.h>

/* Bytes buffered before a write even without a newline. */
#define CONSOLE_LINE 256

/* 0, or -1 when a write the character caused failed. */
int rt_console_putc(char c);
/* Writes what is buffered: 0, or -1 if the console refused it. */
int rt_console_flush(void);
/* Flushes, then reads a line into buf (NUL-terminated, at most size - 1
 * bytes, no newline). Its length, or -1. */
long rt_console_readline(char *buf, size_t size);

#endif
