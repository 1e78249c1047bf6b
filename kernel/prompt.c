/* The kernel console: a line-oriented prompt on the serial port. Input
 * arrives by the UART's receive interrupt, which wakes the CPU halted
 * here. Commands are
 * registered with CONSOLE_COMMAND (<kernel/console.h>) next to the code
 * they report on; the general ones are here. */
#include <config.h>
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/sched/sched.h>
#include <kernel/kprintf.h>
#include <kernel/vm/pmem.h>
#include <kernel/string.h>
#include <kernel/timer.h>

#define LINE_MAX 128
#define PROMPT   "rialto> "

extern const struct console_command __commands_start[], __commands_end[];

#define HELP_NAME_WIDTH 8

CONSOLE_COMMAND(help, "list the commands")
{
    for (const struct console_command *c = __commands_start; c < __commands_end; c++) {
        size_t n = strlen(c->name);
        kprintf("  %s", c->name);
        if (c->args) {
            kprintf(" %s", c->args);
            n += 1 + strlen(c->args);
        }
        for (; n < HELP_NAME_WIDTH; n++)
            kprintf(" ");
        kprintf(" %s\n", c->help);
    }
}

CONSOLE_COMMAND(mem, "physical page allocator counters")
{
    struct pmem_stats s;
    pmem_get_stats(&s);
    kprintf("pages: %zu total, %zu free, %zu in use, %zu reserved at boot (page size %u)\n",
            s.total_pages, s.free_pages, s.total_pages - s.free_pages, s.reserved_pages, PAGE_SIZE);
    kprintf("calls: %llu allocs, %llu frees, %llu failed allocs\n", (unsigned long long)s.allocs,
            (unsigned long long)s.frees, (unsigned long long)s.failures);
}

CONSOLE_COMMAND(ticks, "timer ticks since boot")
{
    uint64_t t = timer_ticks();
    kprintf("ticks: %llu (%u Hz, %llu.%02llu s)\n", (unsigned long long)t, CONFIG_HZ,
            (unsigned long long)(t / CONFIG_HZ),
            (unsigned long long)(t % CONFIG_HZ * 100 / CONFIG_HZ));
}

CONSOLE_COMMAND(cycles, "the cycle counter: instructions (+ ns halted) with RIALTO_ICOUNT=1")
{
    kprintf("cycles: %llu %s\n", (unsigned long long)arch_cycles(), cycles_unit());
}

CONSOLE_COMMAND_ARGS(time, "CMD", "run CMD, print what it took (instructions under icount)")
{
    uint64_t start = arch_cycles();
    console_execute(args);
    uint64_t took = arch_cycles() - start;
    kprintf("time: %llu %s\n", (unsigned long long)took, cycles_unit());
}

CONSOLE_COMMAND(version, "kernel version and arch")
{
    kprintf("Rialto kernel %s (%s)\n", CONFIG_VERSION, ARCH_NAME);
}

CONSOLE_COMMAND(halt, "stop the machine (QEMU exits)")
{
    kprintf("halting\n");
    arch_exit(0);
}

/* Read one line with echo and backspace; returns its length (<kernel/console.h>).
 * A user thread killed while it waits gets what it has so far: its kernel
 * call then returns, and the thread ends (kernel/ipc/kcall.c). */
size_t console_read_line(char *buf, size_t size)
{
    size_t n = 0;
    for (;;) {
        int c = uart_getc();
        struct thread *self = thread_current();
        if (c < 0 && self && self->kill_fn) {
            buf[n] = '\0';
            return n;
        }
        if (c < 0) {
            arch_wait_for_interrupt();
            continue;
        }
        if (c == '\r' || c == '\n') {
            kprintf("\n");
            buf[n] = '\0';
            return n;
        }
        if ((c == '\b' || c == 0x7f) && n > 0) {
            n--;
            kprintf("\b \b");
        } else if (c >= ' ' && c < 0x7f && n + 1 < size) {
            buf[n++] = (char)c;
            kprintf("%c", c);
        }
    }
}

static char *skip_blanks(char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

static const struct console_command *find_command(const char *name)
{
    for (const struct console_command *c = __commands_start; c < __commands_end; c++) {
        if (strcmp(name, c->name) == 0)
            return c;
    }
    return 0;
}

/* Run "NAME [ARGS]": blanks around the name and the arguments are ignored. */
void console_execute(char *line)
{
    line = skip_blanks(line);
    size_t n = strlen(line);
    while (n > 0 && line[n - 1] == ' ')
        line[--n] = '\0';
    if (!*line)
        return;
    size_t name_len = 0;
    while (line[name_len] && line[name_len] != ' ')
        name_len++;
    char *args = skip_blanks(line + name_len);
    line[name_len] = '\0'; /* a blank, or already the end */
    const struct console_command *c = find_command(line);
    if (!c) {
        kprintf("unknown command '%s' (try help)\n", line);
    } else if (!c->args && *args) {
        kprintf("%s takes no arguments (try help)\n", c->name);
    } else if (c->args && !*args) {
        kprintf("usage: %s %s\n", c->name, c->args);
    } else {
        c->run(args);
    }
}

void console_run(void)
{
    char line[LINE_MAX];
    for (;;) {
        kprintf(PROMPT);
        console_read_line(line, sizeof line);
        console_execute(line);
    }
}
