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
