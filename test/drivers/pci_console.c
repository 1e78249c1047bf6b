/* The console's `pci` command (drivers/pci/command.c), typed at the
 * prompt of kernel.elf: it lists the host bridge at 00:00.0 and the PIIX
 * IDE function (Intel, class 01.01) with its bus-master BAR4, and the
 * PCnet when a network is attached. */
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

/* With tools/qemu --nic the PCnet (1022:2000, class 02.00) is on the bus
 * with its interrupt routed to line 10 or 11, and the driver reports it;
 * without it the machine has no network function at all (-nic none:
 * neither QEMU's default e1000 on the PC nor malta's default PCnet). */
static void pci_lists_the_pcnet_only_with_a_network(const char *arch)
{
    struct guest_opts opts = {.input = "pci\nhalt\n", .timeout = 60, .plain = true, .nic = true};
    struct guest_run run = guest_boot(arch, &opts);
    const char *out = strstr(run.log, "rialto> pci\n");
    cr_assert(out, "%s: no pci command in:\n%s", arch, run.log);
    const char *nic = line_with(out, " 1022:2000 class 02.00.00 ");
    cr_assert(nic, "%s: no PCnet:\n%s", arch, out);
    const char *irq = strstr(nic, " irq line ");
    cr_expect(irq && (strncmp(irq, " irq line 10 pin 1\n", 19) == 0 ||
                      strncmp(irq, " irq line 11 pin 1\n", 19) == 0),
              "%s: %.60s", arch, nic);
    cr_expect(strstr(run.log, "pcnet: net0: 52:54:00:12:34:56, port "), "%s", run.log);
    guest_run_free(&run);
    opts.nic = false;
    run = guest_boot(arch, &opts);
    out = strstr(run.log, "rialto> pci\n");
    cr_assert(out, "%s: no pci command in:\n%s", arch, run.log);
    cr_expect(!strstr(out, " class 02."), "%s: a network function without --nic:\n%s", arch, out);
    cr_expect(!strstr(run.log, "pcnet:"), "%s:\n%s", arch, run.log);
    guest_run_free(&run);
}

BOTH_ARCHES(pci_console_lists_the_pcnet_only_with_a_network,
            pci_lists_the_pcnet_only_with_a_network)
