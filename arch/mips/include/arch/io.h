/* ISA port I/O on malta: the GT-64120 maps PCI/ISA I/O space at physical
 * 0x18000000, reached uncached through kseg1 (see <kernel/arch.h>). */
#ifndef ARCH_IO_H
#define ARCH_IO_H

#include <stdint.h>

#define ISA_IO_BASE 0xb8000000u

static inline uint8_t io_read8(uint16_t port)
{
    return *(volatile uint8_t *)(uintptr_t)(ISA_IO_BASE + port);
}

static inline void io_write8(uint16_t port, uint8_t v)
{
    *(volatile uint8_t *)(uintptr_t)(ISA_IO_BASE + port) = v;
}

#endif
