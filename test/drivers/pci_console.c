/* The console's `pci` command (drivers/pci/command.c), typed at the
 * prompt of kernel.elf: it lists the host bridge at 00:00.0 and the PIIX
 * IDE function (Intel, class 01.01) with its bus-master BAR4. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../harness/guest.h"

/* The line of the log that contains what, or NULL. */
static const char *line_with(const char *log, const char *what)
{
    const char *p = strstr(log, what);
    if (!p)
        return NULL;
    while (p > log && p[-1] != '\n')
        p--;
    return p;
}

static void pci_lists_ide_and_host_bridge(const char *arch)
{
    struct guest_opts opts = {.input = "pci\nhalt\n", .timeout = 60, .plain = true};
    struct guest_run run = guest_boot(arch, &opts);
    const char *out = strstr(run.log, "rialto> pci\n");
    cr_assert(out, "%s: no pci command in:\n%s", arch, run.log);
    cr_expect(strncmp(out + strlen("rialto> pci\n"), "00:00.0 ", 8) == 0, "%s", out);
    cr_expect(line_with(out, " class 06.00.00 "), "%s: no host bridge:\n%s", arch, out);
    const char *ide = line_with(out, " class 01.01.");
    cr_assert(ide, "%s: no IDE function:\n%s", arch, out);
    cr_expect(strncmp(ide + 8, "8086:", 5) == 0, "%s: IDE not Intel's: %.60s", arch, ide);
    const char *bar4 = strchr(ide, '\n');
    cr_expect(bar4 && strncmp(bar4, "\n    bar4 io ", 13) == 0, "%s: %s", arch, ide);
    cr_expect(strstr(out, "rialto> halt\n"), "%s", out);
    guest_run_free(&run);
}

BOTH_ARCHES(pci_console_lists_ide_and_host_bridge, pci_lists_ide_and_host_bridge)
