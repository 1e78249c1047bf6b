/* PCI configuration space on malta: the GT-64120 system controller's
 * PCI_0 Configuration Address (0xcf8) and Data (0xcfc) registers, in its
 * internal register block at physical 0x1be00000 (where the boot code
 * QEMU runs before -kernel's entry moves it), reached uncached through
 * kseg1 (see <kernel/arch.h>). The address has mechanism #1's layout. */
#include <kernel/arch.h>

#define GT_BASE        0x1be00000u
#define GT_PCI0_CFGADR 0xcf8
#define GT_PCI0_CFGDAT 0xcfc
#define CONFIG_ENABLE  0x80000000u

static volatile uint32_t *gt_register(unsigned offset)
{
    return (volatile uint32_t *)phys_to_virt_uncached(GT_BASE + offset);
}

static uint32_t config_address(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
    return CONFIG_ENABLE | (bus & 0xff) << 16 | (dev & 0x1f) << 11 | (fn & 7) << 8 | (reg & 0xfc);
}

/* The address and data accesses are a pair: no interrupt handler may
 * come between them with a configuration access of its own. */
uint32_t arch_pci_config_read32(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
    unsigned long irq = arch_irq_save();
    *gt_register(GT_PCI0_CFGADR) = config_address(bus, dev, fn, reg);
    uint32_t v = *gt_register(GT_PCI0_CFGDAT);
    arch_irq_restore(irq);
    return v;
}

void arch_pci_config_write32(unsigned bus, unsigned dev, unsigned fn, unsigned reg, uint32_t v)
{
    unsigned long irq = arch_irq_save();
    *gt_register(GT_PCI0_CFGADR) = config_address(bus, dev, fn, reg);
    *gt_register(GT_PCI0_CFGDAT) = v;
    arch_irq_restore(irq);
}

/* Malta's wiring of PCI interrupt pins to the PIIX4's PIRQ inputs
 * (0-3: PIRQA-D), as the board's documentation and YAMON describe it:
 * the built-in devices have fixed ones (the PIIX4's USB on INTD to
 * PIRQD, the Am79C973 Ethernet in slot 11 on PIRQB, the audio chip in
 * slot 12 on PIRQC); the four PCI slots, devices 18-21, rotate INTA-D
 * over PIRQA-D. -1: not wired. */
static int malta_pirq(unsigned dev, unsigned pin)
{
    if (pin < 1 || pin > 4)
        return -1;
    if (dev >= 18 && dev <= 21)
        return (int)((dev - 18 + pin - 1) % 4);
    if (dev == 10 && pin == 4)
        return 3;
    if (dev == 11 && pin == 1)
        return 1;
    if (dev == 12 && pin == 1)
        return 2;
    return -1;
}

#define PIIX4_DEV      10   /* the PIIX4's ISA bridge, function 0 */
#define PIIX4_PIRQRC   0x60 /* one byte a PIRQ: the 8259 line in bits 0-3 */
#define PIRQRC_DISABLE 0x80

int arch_pci_irq_route(unsigned dev, unsigned pin)
{
    int pirq = malta_pirq(dev, pin);
    if (pirq < 0)
        return -1;
    uint32_t route = arch_pci_config_read32(0, PIIX4_DEV, 0, PIIX4_PIRQRC);
    uint8_t r = (uint8_t)(route >> (8 * pirq));
    return r & PIRQRC_DISABLE || (r & 0xf) < 3 ? -1 : r & 0xf;
}
