/* ISA port I/O on malta: the GT-64120 maps PCI/ISA I/O space at physical
 * 0x18000000, reached uncached through kseg1 (see <kernel/arch.h>). */
#ifndef ARCH_IO_H
#define ARCH_IO_H

#include <stdint.h>

#define ISA_IO_BASE 0xb8000000u

/* Where drivers/pci assigns memory BARs firmware left unassigned (malta
 * boots with none): the GT-64120's PCI_0 memory window as QEMU's boot
 * code sets it up, PCI addresses equal to physical ones. */
#define PCI_MEM_ASSIGN_BASE 0x10000000u
#define PCI_MEM_ASSIGN_END  0x17e00000u

static inline uint8_t io_read8(uint16_t port)
{
    return *(volatile uint8_t *)(uintptr_t)(ISA_IO_BASE + port);
}

static inline void io_write8(uint16_t port, uint8_t v)
{
    *(volatile uint8_t *)(uintptr_t)(ISA_IO_BASE + port) = v;
}

/* Wider accesses: the CPU is little-endian (mipsel), as the PCI bus is,
 * so a 16- or 32-bit load reads the port's value as the PC would. */
static inline uint16_t io_read16(uint16_t port)
{
    return *(volatile uint16_t *)(uintptr_t)(ISA_IO_BASE + port);
}

static inline void io_write16(uint16_t port, uint16_t v)
{
    *(volatile uint16_t *)(uintptr_t)(ISA_IO_BASE + port) = v;
}

static inline uint32_t io_read32(uint16_t port)
{
    return *(volatile uint32_t *)(uintptr_t)(ISA_IO_BASE + port);
}

static inline void io_write32(uint16_t port, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)(ISA_IO_BASE + port) = v;
}

#endif
