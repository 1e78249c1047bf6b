/* x86 ISA port I/O (see <kernel/arch.h>). */
#ifndef ARCH_IO_H
#define ARCH_IO_H

/* Where drivers/pci assigns a memory BAR the BIOS left unassigned
 * (SeaBIOS assigns every one; this is the PC's hole below the APICs). */
#define PCI_MEM_ASSIGN_BASE 0xe0000000u
#define PCI_MEM_ASSIGN_END  0xfec00000u

#include <stdint.h>

static inline uint8_t io_read8(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void io_write8(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint16_t io_read16(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void io_write16(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint32_t io_read32(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void io_write32(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

#endif
