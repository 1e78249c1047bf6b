/* PCI enumeration (drivers/pci) on both machines: the walk finds the
 * host bridge and the PIIX IDE function with their BARs, and the arch's
 * configuration access reads all ones where nothing is. */
#include <drivers/pci/pci.h>
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/string.h>

#define EMPTY_SLOT 31 /* neither machine puts a device in slot 31 */

KTEST(pci_config_reads_all_ones_where_nothing_is)
{
    KT_ASSERT_EQ(arch_pci_config_read32(0, EMPTY_SLOT, 0, PCI_REG_ID), 0xffffffffu);
    KT_ASSERT_EQ(arch_pci_config_read32(0, 0, 0, PCI_REG_ID) & 0xffff, pci_at(0)->vendor);
}

/* The host bridge is device 0: the i440FX on the PC, the GT-64120 on malta. */
KTEST(pci_finds_the_host_bridge)
{
    const struct pci_function *f = pci_find_class(PCI_CLASS_BRIDGE, PCI_SUBCLASS_HOST);
    KT_ASSERT(f != 0);
    KT_ASSERT_EQ(f->dev, 0);
    KT_ASSERT(f->vendor == PCI_VENDOR_INTEL || f->vendor == 0x11ab); /* Intel, Marvell/Galileo */
}

/* The PIIX IDE function: Intel, class 01.01, in legacy mode (no interrupt
 * pin of its own: IRQ 14 and 15), its bus-master registers in BAR4, 16
 * bytes of I/O. */
KTEST(pci_finds_the_piix_ide_function)
{
    const struct pci_function *f = pci_find_class(PCI_CLASS_STORAGE, PCI_SUBCLASS_IDE);
    KT_ASSERT(f != 0);
    KT_ASSERT_EQ(f->vendor, PCI_VENDOR_INTEL);
    /* where QEMU puts the PIIX: slot 1 of the PC, slot 10 of malta; function 1 */
    KT_ASSERT_EQ(f->dev, strcmp(ARCH_NAME, "x86") == 0 ? 1 : 10);
    KT_ASSERT_EQ(f->fn, 1);
    KT_ASSERT_EQ(f->prog_if & 0x05, 0); /* both channels in compatibility mode */
    KT_ASSERT(f->bar[4].io);
    KT_ASSERT_EQ(f->bar[4].size, 16);
    KT_ASSERT_EQ(f->bar[0].size, 0); /* legacy ports, not BARs */
    KT_ASSERT(pci_count() >= 3);
    KT_ASSERT(pci_count() < PCI_MAX_FUNCTIONS);
}

/* Sizing a BAR writes all ones into it: a second walk must find every
 * BAR where the first left it (and where the function still has it). */
KTEST(pci_walk_leaves_bars_where_they_were)
{
    static struct pci_function again[PCI_MAX_FUNCTIONS];
    unsigned n = pci_scan(again, PCI_MAX_FUNCTIONS);
    KT_ASSERT_EQ(n, pci_count());
    for (unsigned i = 0; i < n; i++) {
        const struct pci_function *f = pci_at(i);
        for (unsigned b = 0; b < PCI_BARS; b++) {
            KT_ASSERT_EQ(again[i].bar[b].base, f->bar[b].base);
            KT_ASSERT_EQ(again[i].bar[b].size, f->bar[b].size);
        }
    }
}

/* The IDE driver enabled the function's I/O decoding and bus mastering. */
KTEST(pci_ide_function_enabled_by_the_driver)
{
    const struct pci_function *f = pci_find_class(PCI_CLASS_STORAGE, PCI_SUBCLASS_IDE);
    KT_ASSERT(f != 0);
    uint32_t command = arch_pci_config_read32(f->bus, f->dev, f->fn, PCI_REG_COMMAND);
    KT_ASSERT_EQ(command & (PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER),
                 PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER);
}

/* The table holds every function configuration space has, gaps in a
 * device's functions included (the PC's PIIX3 has 0, 1 and 3): counted
 * here by reading every bus 0 address (on QEMU a single-function
 * device's functions 1-7 read all ones). */
KTEST(pci_walk_finds_every_function)
{
    unsigned present = 0;
    for (unsigned dev = 0; dev < 32; dev++)
        for (unsigned fn = 0; fn < 8; fn++)
            if ((arch_pci_config_read32(0, dev, fn, PCI_REG_ID) & 0xffff) != 0xffff)
                present++;
    KT_ASSERT_EQ(pci_count(), present);
}
