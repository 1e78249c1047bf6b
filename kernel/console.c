/* The kernel console: a line-oriented prompt on the serial port. Input is
 * polled once per timer tick (the CPU halts in between). */
#include <config.h>
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kprintf.h>
#include <kernel/pmem.h>
#include <kernel/string.h>
#include <kernel/timer.h>

#define LINE_MAX 128
#define PROMPT   "rialto> "

struct command {
    const char *name;
    const char *help;
    void (*run)(void);
};

static void cmd_help(void);

static void cmd_mem(void)
{
    struct pmem_stats s;
    pmem_get_stats(&s);
    kprintf("pages: %zu total, %zu free, %zu in use, %zu reserved at boot (page size %u)\n",
            s.total_pages, s.free_pages, s.total_pages - s.free_pages, s.reserved_pages, PAGE_SIZE);
    kprintf("calls: %llu allocs, %llu frees, %llu failed allocs\n", (unsigned long long)s.allocs,
            (unsigned long long)s.frees, (unsigned long long)s.failures);
}

static void cmd_ticks(void)
{
    uint64_t t = timer_ticks();
    kprintf("ticks: %llu (%u Hz, %llu.%02llu s)\n", (unsigned long long)t, CONFIG_HZ,
            (unsigned long long)(t / CONFIG_HZ),
            (unsigned long long)(t % CONFIG_HZ * 100 / CONFIG_HZ));
}

static void cmd_cycles(void)
{
    kprintf("cycles: %llu\n", (unsigned long long)arch_cycles());
}

static void cmd_version(void)
{
    kprintf("Rialto kernel %s (%s)\n", CONFIG_VERSION, ARCH_NAME);
}

static void cmd_halt(void)
{
    kprintf("halting\n");
    arch_exit(0);
}

static const struct command commands[] = {
    {"help", "list the commands", cmd_help},
    {"mem", "physical page allocator counters", cmd_mem},
    {"ticks", "timer ticks since boot", cmd_ticks},
    {"cycles", "the cycle counter (instructions under -icount)", cmd_cycles},
    {"version", "kernel version and arch", cmd_version},
    {"halt", "stop the machine (QEMU exits)", cmd_halt},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void cmd_help(void)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        kprintf("  %-8s %s\n", commands[i].name, commands[i].help);
}

/* Read one line with echo and backspace; returns its length. */
static size_t read_line(char *buf, size_t size)
{
    size_t n = 0;
    for (;;) {
        int c = uart_getc();
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

static void execute(char *line)
{
    while (*line == ' ')
        line++;
    size_t n = strlen(line);
    while (n > 0 && line[n - 1] == ' ')
        line[--n] = '\0';
    if (!*line)
        return;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(line, commands[i].name) == 0) {
            commands[i].run();
            return;
        }
    }
    kprintf("unknown command '%s' (try help)\n", line);
}

void console_run(void)
{
    char line[LINE_MAX];
    for (;;) {
        kprintf(PROMPT);
        read_line(line, sizeof line);
        execute(line);
    }
}
