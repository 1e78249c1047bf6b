/* PCI configuration space on the PC: configuration mechanism #1, an
 * address written to port 0xCF8, the register read or written at 0xCFC
 * (see <kernel/arch.h>). */
#include <kernel/arch.h>

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA    0xcfc
#define CONFIG_ENABLE  0x80000000u

static uint32_t config_address(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
    return CONFIG_ENABLE | (bus & 0xff) << 16 | (dev & 0x1f) << 11 | (fn & 7) << 8 | (reg & 0xfc);
}

/* The address and data accesses are a pair: no interrupt handler may
 * come between them with a configuration access of its own. */
uint32_t arch_pci_config_read32(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
    unsigned long irq = arch_irq_save();
    io_write32(CONFIG_ADDRESS, config_address(bus, dev, fn, reg));
    uint32_t v = io_read32(CONFIG_DATA);
    arch_irq_restore(irq);
    return v;
}

void arch_pci_config_write32(unsigned bus, unsigned dev, unsigned fn, unsigned reg, uint32_t v)
{
    unsigned long irq = arch_irq_save();
    io_write32(CONFIG_ADDRESS, config_address(bus, dev, fn, reg));
    io_write32(CONFIG_DATA, v);
    arch_irq_restore(irq);
}

/* SeaBIOS routes the PIIX3's PIRQs and writes every function's
 * interrupt line register: nothing is left to the kernel. */
int arch_pci_irq_route(unsigned dev, unsigned pin)
{
    (void)dev;
    (void)pin;
    return -1;
}
