/* The PIIX IDE function (see piix.h). Both machines leave it in
 * compatibility ("legacy") mode, prog-if 0x80: the channels answer at the
 * ISA ports 0x1f0/0x3f6 and 0x170/0x376 and interrupt on ISA lines 14
 * and 15 of the 8259s, whatever the PCI interrupt routing; so this driver
 * needs from PCI only the function itself (and, for bus-master DMA
 * later, its BAR4). */
#include "piix.h"

#include "ata.h"

#include <config.h>
#include <drivers/pci/pci.h>
#include <kernel/ipc/names.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>

/* In the kernel image: unmapped, as interrupt handlers need. */
#define TIMEOUT_TICKS (ATA_TIMEOUT_MS * CONFIG_HZ / 1000)
static struct ata_channel channels[2] = {
    {.base = 0x1f0,
     .control = 0x3f6,
     .irq = 14,
     .timeout_ticks = TIMEOUT_TICKS,
     .lock = MUTEX_INIT("ide primary")},
    {.base = 0x170,
     .control = 0x376,
     .irq = 15,
     .timeout_ticks = TIMEOUT_TICKS,
     .lock = MUTEX_INIT("ide secondary")},
};
static struct ata_drive drives[PIIX_DRIVES];
static bool started;

IBlockDevice *piix_drive(unsigned position)
{
    return started && position < PIIX_DRIVES ? &drives[position].object : 0;
}

static void register_disk(unsigned position)
{
    char name[] = "disk0";
    name[4] = (char)('0' + position);
    struct ata_drive *d = &drives[position];
    SCODE sc = names_register(name, (IUnknown *)&d->object, 0);
    kprintf("ide: %s: %s, %u sectors%s\n", name, d->model, (unsigned)d->sectors,
            FAILED(sc) ? " (not registered)" : "");
}

#define BAR_BUS_MASTER 4

/* Bus-master DMA for each channel with a disk, at bm (BAR4's port,
 * eight ports a channel; 0: none); its disks use it. Without it they
 * stay on PIO. */
static void start_dma(uint16_t bm)
{
    for (unsigned i = 0; i < 2 && bm; i++) {
        struct ata_drive *pair = &drives[2 * i];
        if (!pair[0].present && !pair[1].present)
            continue;
        if (!ata_dma_setup(&channels[i], (uint16_t)(bm + 8 * i)))
            continue;
        ata_set_dma(&pair[0], true);
        ata_set_dma(&pair[1], true);
    }
}

void piix_start(void)
{
    const struct pci_function *f = pci_find_class(PCI_CLASS_STORAGE, PCI_SUBCLASS_IDE);
    if (!f || f->vendor != PCI_VENDOR_INTEL)
        return;
    uint16_t bm = pci_io_bar(f, BAR_BUS_MASTER); /* assigned before decoding is on */
    pci_enable(f, PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER);
    for (unsigned i = 0; i < 2; i++)
        if (!irq_register(channels[i].irq, ata_interrupt, &channels[i]))
            kprintf("ide: IRQ %u is taken\n", channels[i].irq);
    for (unsigned i = 0; i < PIIX_DRIVES; i++) {
        disk_init(&drives[i], &channels[i / 2], i % 2);
        if (SUCCEEDED(ata_identify(&drives[i])))
            register_disk(i);
    }
    start_dma(bm);
    started = true;
}
