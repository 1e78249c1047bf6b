/* The `pci` console command: every function of bus 0, one per line, and
 * its decoded BARs below it. */
#include "pci.h"

#include <kernel/console.h>
#include <kernel/kprintf.h>

static void print_function(const struct pci_function *f)
{
    kprintf("%02x:%02x.%u %04x:%04x class %02x.%02x.%02x irq line %u pin %u\n", f->bus, f->dev,
            f->fn, f->vendor, f->device, f->class_code, f->subclass, f->prog_if, f->irq_line,
            f->irq_pin);
    for (unsigned i = 0; i < PCI_BARS; i++) {
        const struct pci_bar *b = &f->bar[i];
        if (b->size)
            kprintf("    bar%u %s %#x size %#x\n", i, b->io ? "io" : "mem", (unsigned)b->base,
                    (unsigned)b->size);
    }
}

CONSOLE_COMMAND(pci, "PCI functions of bus 0: vendor:device, class, interrupt, BARs")
{
    for (unsigned i = 0; i < pci_count(); i++)
        print_function(pci_at(i));
}
