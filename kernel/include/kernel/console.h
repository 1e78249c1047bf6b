/* The serial console: the UART driver's entry points, used by kprintf and
 * by the kernel console (the command prompt). */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* drivers/uart/uart16550.c: COM1 at ISA port 0x3f8 on both machines. */
void uart_init(void);
/* From now on input arrives by the receive interrupt (after arch_trap_init). */
void uart_start_input(void);
void uart_putc(char c);
/* A received character, or -1 if none is waiting. */
int uart_getc(void);

/* Read one line from the serial console with echo and backspace into
 * buf (NUL-terminated, size >= 1); its length. */
size_t console_read_line(char *buf, size_t size);

/* The command prompt: reads lines and runs commands; never returns. */
__attribute__((noreturn)) void console_run(void);
/* Run one command line as if typed at the prompt (line is changed); guest
 * tests use it to check what a command prints. */
void console_execute(char *line);

/* A console command, registered where it is defined (a linker section
 * collects them, like guest tests), so each subsystem keeps its own:
 *     CONSOLE_COMMAND(mem, "physical page allocator counters") { ... }
 * A command that takes an argument names it for help, and gets the rest
 * of the line (blanks around it removed) in `args`:
 *     CONSOLE_COMMAND_ARGS(time, "CMD", "run CMD; ...") { ... args ... } */
struct console_command {
    const char *name;
    const char *args; /* what follows the name, for help; NULL: none */
    const char *help;
    void (*run)(char *args);
};

#define CONSOLE_COMMAND(name_, help_) CONSOLE_COMMAND_ARGS(name_, 0, help_)

#define CONSOLE_COMMAND_ARGS(name_, args_, help_)                                                  \
    static void cmd_##name_(char *args);                                                           \
    static const struct console_command command_##name_                                            \
        __attribute__((section(".commands"), used, aligned(4))) = {#name_, args_, help_,           \
                                                                   cmd_##name_};                   \
    static void cmd_##name_(char *args __attribute__((unused)))

#endif
