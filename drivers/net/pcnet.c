/* The PCnet-PCI II controller (see pcnet.h): found on the PCI bus,
 * reset, switched to software style 2, initialized from an init block
 * and started with interrupts on; its interrupt handler acknowledges
 * the chip and collects finished descriptors (ring.c). QEMU's malta
 * has one built in (when a network is asked for); the PC gets one with
 * -nic model=pcnet (tools/qemu --nic). */
#include "pcnet.h"

#include <drivers/pci/pci.h>
#include <kernel/arch.h>
#include <kernel/ipc/names.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/timer.h>

#include <config.h>

#define INIT_SPINS       100000 /* polls of CSR0 for IDON */
#define PCNET_IRQ_ROUNDS 8      /* at most, in one interrupt */

/* In the kernel image: unmapped, as the interrupt handler needs. */
static struct pcnet controller = {.send_lock = MUTEX_INIT("pcnet send"),
                                  .receive_lock = MUTEX_INIT("pcnet receive")};

struct pcnet *pcnet_device(void)
{
    return controller.present ? &controller : 0;
}

uint16_t pcnet_csr_read(struct pcnet *p, unsigned csr)
{
    io_write16(p->io + PCNET_RAP, (uint16_t)csr);
    return io_read16(p->io + PCNET_RDP);
}

void pcnet_csr_write(struct pcnet *p, unsigned csr, uint16_t v)
{
    io_write16(p->io + PCNET_RAP, (uint16_t)csr);
    io_write16(p->io + PCNET_RDP, v);
}

uint16_t pcnet_bcr_read(struct pcnet *p, unsigned bcr)
{
    io_write16(p->io + PCNET_RAP, (uint16_t)bcr);
    return io_read16(p->io + PCNET_BDP);
}

static void bcr_write(struct pcnet *p, unsigned bcr, uint16_t v)
{
    io_write16(p->io + PCNET_RAP, (uint16_t)bcr);
    io_write16(p->io + PCNET_BDP, v);
}

/* Acknowledge what the chip raised (writing the flags back clears them,
 * IENA keeps interrupts on) and collect finished descriptors, until the
 * chip has nothing more: the 8259s may take the line by its edge (malta
 * programs them so), and an event that came between the read and the
 * acknowledgment would keep the line up, with no new edge to announce
 * it. */
static void pcnet_interrupt(void *arg)
{
    struct pcnet *p = arg;
    uint16_t csr0;
    for (unsigned i = 0; i < PCNET_IRQ_ROUNDS && (csr0 = pcnet_csr_read(p, 0)) & CSR0_INTR; i++) {
        pcnet_csr_write(p, 0, (csr0 & CSR0_ACK) | CSR0_IENA);
        p->interrupts++;
        if (csr0 & CSR0_RINT)
            pcnet_rx_collect(p);
        if (csr0 & CSR0_TINT)
            pcnet_tx_collect(p);
    }
}

/* Reset the chip (in word I/O mode, as after power-on), read the station
 * address, choose 32-bit descriptors. */
static void reset(struct pcnet *p)
{
    io_read16(p->io + PCNET_RESET);
    pcnet_csr_write(p, 0, CSR0_STOP);
    for (unsigned i = 0; i < 6; i++)
        p->mac[i] = io_read8((uint16_t)(p->io + PCNET_APROM + i));
    bcr_write(p, PCNET_BCR_SWSTYLE, SWSTYLE_PCI);
}

/* Have the chip read the init block, then start it with interrupts on.
 * False if it never says the init is done. */
static bool initialize(struct pcnet *p)
{
    pcnet_csr_write(p, PCNET_CSR_IADR_LO, (uint16_t)p->phys);
    pcnet_csr_write(p, PCNET_CSR_IADR_HI, (uint16_t)(p->phys >> 16));
    pcnet_csr_write(p, PCNET_CSR_MASKS, CSR3_IDONM); /* IDON is polled, not interrupted */
    pcnet_csr_write(p, 0, CSR0_INIT);
    unsigned i = 0;
    while (!(pcnet_csr_read(p, 0) & CSR0_IDON) && ++i < INIT_SPINS)
        ;
    if (i == INIT_SPINS)
        return false;
    p->missed_before = pcnet_csr_read(p, PCNET_CSR_MISSED);
    pcnet_csr_write(p, 0, CSR0_IDON | CSR0_STRT | CSR0_IENA);
    return true;
}

static void report(const struct pcnet *p, const char *problem)
{
    const uint8_t *m = p->mac;
    kprintf("pcnet: net0: %02x:%02x:%02x:%02x:%02x:%02x, port %#x, irq %u%s\n", m[0], m[1], m[2],
            m[3], m[4], m[5], p->io, p->irq, problem);
}

void pcnet_start(void)
{
    const struct pci_function *f = pci_find_device(PCNET_VENDOR, PCNET_DEVICE);
    if (!f)
        return;
    struct pcnet *p = &controller;
    p->io = pci_io_bar(f, 0); /* assigned before decoding is on */
    int irq = pci_irq(f);
    if (!p->io || irq < 0) {
        kprintf("pcnet: no I/O port or no interrupt line: not started\n");
        return;
    }
    p->irq = (unsigned)irq;
    pci_enable(f, PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER);
    pcnet_object_init(p);
    reset(p);
    if (!pcnet_rings_setup(p))
        return report(p, " (no memory for the rings)");
    if (!irq_register(p->irq, pcnet_interrupt, p))
        return report(p, " (its interrupt line is taken)");
    if (!initialize(p)) {
        irq_unregister(p->irq);
        return report(p, " (the chip did not initialize)");
    }
    p->present = true;
    SCODE sc = names_register("net0", (IUnknown *)&p->object, 0);
    report(p, FAILED(sc) ? " (not registered)" : "");
}
