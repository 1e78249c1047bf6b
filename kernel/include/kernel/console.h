/* The serial console: the UART driver's entry points, used by kprintf and
 * by the kernel console (the command prompt). */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>

/* drivers/uart16550.c: COM1 at ISA port 0x3f8 on both machines. */
void uart_init(void);
void uart_putc(char c);
/* A received character, or -1 if none is waiting. */
int uart_getc(void);

/* The command prompt: reads lines and runs commands; never returns. */
__attribute__((noreturn)) void console_run(void);

#endif
