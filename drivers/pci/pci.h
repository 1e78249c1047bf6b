/* PCI enumeration (drivers/pci/pci.c): bus 0 of the machine walked once,
 * through the arch's configuration-space access (<kernel/arch.h>), into
 * a table of the functions found, which drivers search by class or by
 * vendor and device. Neither machine has a PCI-to-PCI bridge, so bus 0
 * is the whole bus. */
#ifndef DRIVERS_PCI_PCI_H
#define DRIVERS_PCI_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_MAX_FUNCTIONS 32
#define PCI_BARS          6

#define PCI_VENDOR_INTEL  0x8086
#define PCI_CLASS_STORAGE 0x01
#define PCI_SUBCLASS_IDE  0x01
#define PCI_CLASS_BRIDGE  0x06
#define PCI_SUBCLASS_HOST 0x00

/* Configuration registers (byte offsets of their 32-bit words). */
#define PCI_REG_ID        0x00 /* device << 16 | vendor */
#define PCI_REG_COMMAND   0x04 /* status << 16 | command */
#define PCI_REG_CLASS     0x08 /* class, subclass, prog-if, revision */
#define PCI_REG_HEADER    0x0c /* header type in bits 16-23 */
#define PCI_REG_BAR0      0x10
#define PCI_REG_INTERRUPT 0x3c /* pin in bits 8-15, line in 0-7 */

#define PCI_COMMAND_IO         0x1
#define PCI_COMMAND_MEMORY     0x2
#define PCI_COMMAND_BUS_MASTER 0x4

/* A base address register: where the function decodes, and how much. */
struct pci_bar {
    uint32_t base; /* 0: not implemented */
    uint32_t size;
    bool io; /* I/O space, not memory */
};

struct pci_function {
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if;
    uint8_t irq_line; /* the interrupt line register, as firmware left it */
    uint8_t irq_pin;  /* 0: none, 1-4: INTA-INTD */
    struct pci_bar bar[PCI_BARS];
};

/* The functions of bus 0 (walked on the first call), and how many. */
unsigned pci_count(void);
const struct pci_function *pci_at(unsigned index);
/* The first function of that class and subclass, or NULL. */
const struct pci_function *pci_find_class(uint8_t class_code, uint8_t subclass);

/* The first function with that vendor and device ID, or NULL. */
const struct pci_function *pci_find_device(uint16_t vendor, uint16_t device);

/* The 8259 line (0-15) f's interrupt pin reaches, or -1 when it has no
 * pin or nothing says where it goes. */
int pci_irq(const struct pci_function *f);

/* The port of an I/O BAR of f (one of pci_at's), assigning one first if firmware left it
 * unassigned (malta boots with no firmware: every BAR reads 0); 0 when
 * the BAR is not an I/O BAR. */
uint16_t pci_io_bar(const struct pci_function *f, unsigned bar);

/* The physical address of a memory BAR of f, assigning one in the
 * arch's window (PCI_MEM_ASSIGN_BASE, <arch/io.h>) first if firmware
 * left it unassigned; 0 when the BAR is not a memory BAR. */
uint32_t pci_mem_bar(const struct pci_function *f, unsigned bar);

/* Set bits in a function's command register (enable decoding, bus mastering). */
void pci_enable(const struct pci_function *f, uint16_t command_bits);

/* The walk itself, into table[0 .. max): how many functions it found. */
unsigned pci_scan(struct pci_function *table, unsigned max);

#endif
