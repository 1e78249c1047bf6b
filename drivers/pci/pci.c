/* PCI enumeration (see pci.h): the machine-independent walk of bus 0
 * over arch_pci_config_read32/write32. */
#include "pci.h"

#include <arch/io.h>
#include <kernel/arch.h>

#define NO_FUNCTION      0xffffu /* vendor of an empty slot */
#define HEADER_MULTIFUNC 0x80
#define BAR_IO           0x1
#define BAR_IO_MASK      0xfffffffcu
#define BAR_MEM_MASK     0xfffffff0u
#define BAR_MEM_64       0x4 /* type bits 2:1 == 10: the next BAR is the high half */

/* Where pci_io_bar assigns I/O BARs: above the ISA devices' ports and
 * below the PC BIOS's own assignments (0xc000 up). */
#define IO_ASSIGN_BASE 0x8000u
#define IO_ASSIGN_END  0xc000u

static struct pci_function functions[PCI_MAX_FUNCTIONS];
static uint32_t next_io = IO_ASSIGN_BASE;
static uint32_t next_mem = PCI_MEM_ASSIGN_BASE;
static unsigned nfunctions;
static bool scanned;

static uint32_t config_read(const struct pci_function *f, unsigned reg)
{
    return arch_pci_config_read32(f->bus, f->dev, f->fn, reg);
}

static void config_write(const struct pci_function *f, unsigned reg, uint32_t v)
{
    arch_pci_config_write32(f->bus, f->dev, f->fn, reg, v);
}

/* Size a BAR the standard way: write all ones, read back which address
 * bits the function keeps, restore. Decoding is off meanwhile so the
 * function never answers at the all-ones address. */
static struct pci_bar size_bar(const struct pci_function *f, unsigned reg)
{
    uint32_t command = config_read(f, PCI_REG_COMMAND);
    config_write(f, PCI_REG_COMMAND, command & ~(uint32_t)(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    uint32_t old = config_read(f, reg);
    config_write(f, reg, 0xffffffffu);
    uint32_t ones = config_read(f, reg);
    config_write(f, reg, old);
    config_write(f, PCI_REG_COMMAND, command);

    struct pci_bar bar = {.io = old & BAR_IO};
    uint32_t mask = bar.io ? BAR_IO_MASK : BAR_MEM_MASK;
    if (bar.io)
        ones |= 0xffff0000u; /* I/O BARs may implement only 16 bits */
    if ((ones & mask) == 0)
        return (struct pci_bar){0};
    bar.base = old & mask;
    bar.size = ~(ones & mask) + 1;
    return bar;
}

static void read_bars(struct pci_function *f)
{
    for (unsigned i = 0; i < PCI_BARS; i++) {
        unsigned reg = PCI_REG_BAR0 + 4 * i;
        f->bar[i] = size_bar(f, reg);
        if (!f->bar[i].io && (config_read(f, reg) & 0x6) == BAR_MEM_64)
            i++; /* the high half: above 4 GiB, which neither machine has */
    }
}

/* Where no firmware did (malta), write the line the arch says the pin
 * reaches into the interrupt line register, as firmware would. */
static void route_irq(struct pci_function *f, uint32_t interrupt)
{
    int line = f->irq_pin && f->irq_line == 0 ? arch_pci_irq_route(f->dev, f->irq_pin) : -1;
    if (line < 0)
        return;
    f->irq_line = (uint8_t)line;
    config_write(f, PCI_REG_INTERRUPT, (interrupt & ~0xffu) | (uint32_t)line);
}

/* Fill f from bus/dev/fn's header; false when nothing is there. */
static bool read_function(struct pci_function *f, unsigned bus, unsigned dev, unsigned fn)
{
    *f = (struct pci_function){.bus = (uint8_t)bus, .dev = (uint8_t)dev, .fn = (uint8_t)fn};
    uint32_t id = config_read(f, PCI_REG_ID);
    if ((id & 0xffff) == NO_FUNCTION || (id & 0xffff) == 0)
        return false;
    f->vendor = (uint16_t)id;
    f->device = (uint16_t)(id >> 16);
    uint32_t class = config_read(f, PCI_REG_CLASS);
    f->class_code = (uint8_t)(class >> 24);
    f->subclass = (uint8_t)(class >> 16);
    f->prog_if = (uint8_t)(class >> 8);
    uint32_t interrupt = config_read(f, PCI_REG_INTERRUPT);
    f->irq_line = (uint8_t)interrupt;
    f->irq_pin = (uint8_t)(interrupt >> 8);
    route_irq(f, interrupt);
    read_bars(f);
    return true;
}

static bool multifunction(unsigned bus, unsigned dev)
{
    return arch_pci_config_read32(bus, dev, 0, PCI_REG_HEADER) >> 16 & HEADER_MULTIFUNC;
}

unsigned pci_scan(struct pci_function *table, unsigned max)
{
    unsigned n = 0;
    for (unsigned dev = 0; dev < 32 && n < max; dev++) {
        unsigned fns = 1;
        for (unsigned fn = 0; fn < fns && n < max; fn++) {
            if (!read_function(&table[n], 0, dev, fn))
                continue; /* no function 0: no device; functions may have gaps */
            if (fn == 0 && multifunction(0, dev))
                fns = 8;
            n++;
        }
    }
    return n;
}

static void scan_once(void)
{
    if (!scanned) {
        nfunctions = pci_scan(functions, PCI_MAX_FUNCTIONS);
        scanned = true;
    }
}

unsigned pci_count(void)
{
    scan_once();
    return nfunctions;
}

const struct pci_function *pci_at(unsigned index)
{
    scan_once();
    return index < nfunctions ? &functions[index] : 0;
}

const struct pci_function *pci_find_class(uint8_t class_code, uint8_t subclass)
{
    for (unsigned i = 0; i < pci_count(); i++)
        if (functions[i].class_code == class_code && functions[i].subclass == subclass)
            return &functions[i];
    return 0;
}

const struct pci_function *pci_find_device(uint16_t vendor, uint16_t device)
{
    for (unsigned i = 0; i < pci_count(); i++)
        if (functions[i].vendor == vendor && functions[i].device == device)
            return &functions[i];
    return 0;
}

int pci_irq(const struct pci_function *f)
{
    if (!f->irq_pin || f->irq_line == 0 || f->irq_line >= 16)
        return -1;
    return f->irq_line;
}

uint16_t pci_io_bar(const struct pci_function *f, unsigned bar)
{
    if (bar >= PCI_BARS || !f->bar[bar].io || !f->bar[bar].size)
        return 0;
    struct pci_function *mine = &functions[f - functions]; /* f is one of ours */
    struct pci_bar *b = &mine->bar[bar];
    if (b->base == 0) {
        uint32_t base = (next_io + b->size - 1) & ~(b->size - 1); /* sizes are powers of two */
        if (base + b->size > IO_ASSIGN_END)
            return 0;
        next_io = base + b->size;
        config_write(mine, PCI_REG_BAR0 + 4 * bar, base);
        b->base = base;
    }
    return (uint16_t)b->base;
}

uint32_t pci_mem_bar(const struct pci_function *f, unsigned bar)
{
    if (bar >= PCI_BARS || f->bar[bar].io || !f->bar[bar].size)
        return 0;
    struct pci_function *mine = &functions[f - functions]; /* f is one of ours */
    struct pci_bar *b = &mine->bar[bar];
    if (b->base == 0) {
        uint32_t base = (next_mem + b->size - 1) & ~(b->size - 1); /* sizes are powers of two */
        if (base < next_mem || base + b->size > PCI_MEM_ASSIGN_END)
            return 0;
        next_mem = base + b->size;
        config_write(mine, PCI_REG_BAR0 + 4 * bar, base);
        b->base = base;
    }
    return b->base;
}

void pci_enable(const struct pci_function *f, uint16_t command_bits)
{
    uint32_t command = config_read(f, PCI_REG_COMMAND);
    /* the status half's bits are cleared by writing ones: write zeros there */
    config_write(f, PCI_REG_COMMAND, (command & 0xffff) | command_bits);
}
