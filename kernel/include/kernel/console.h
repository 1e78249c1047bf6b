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

/* A console command, registered where it is defined (a linker section
 * collects them, like guest tests), so each subsystem keeps its own:
 *     CONSOLE_COMMAND(mem, "physical page allocator counters") { ... } */
struct console_command {
    const char *name;
    const char *help;
    void (*run)(void);
};

#define CONSOLE_COMMAND(name_, help_)                                                              \
    static void cmd_##name_(void);                                                                 \
    static const struct console_command command_##name_                                            \
        __attribute__((section(".commands"), used, aligned(4))) = {#name_, help_, cmd_##name_};    \
    static void cmd_##name_(void)

#endif
