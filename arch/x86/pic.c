/* The two 8259A interrupt controllers, remapped so IRQ n is vector
 * IRQ_BASE + n (the CPU's exceptions own vectors 0-31); the arch
 * contract's line masks (arch_irq_line_enable/disable). */
#include <arch/io.h>
#include <arch/x86.h>
#include <kernel/arch.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20

static uint16_t mask = 0xffff & ~(1u << 2); /* all masked but the cascade */

static void write_mask(void)
{
    io_write8(PIC1_DATA, (uint8_t)mask);
    io_write8(PIC2_DATA, (uint8_t)(mask >> 8));
}

void pic_init(void)
{
    io_write8(PIC1_CMD, 0x11); /* ICW1: edge triggered, cascade, ICW4 follows */
    io_write8(PIC2_CMD, 0x11);
    io_write8(PIC1_DATA, IRQ_BASE); /* ICW2: vector base */
    io_write8(PIC2_DATA, IRQ_BASE + 8);
    io_write8(PIC1_DATA, 0x04); /* ICW3: slave on IRQ 2 */
    io_write8(PIC2_DATA, 0x02);
    io_write8(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
    io_write8(PIC2_DATA, 0x01);
    write_mask();
}

void pic_unmask(int irq)
{
    mask &= (uint16_t) ~(1u << irq);
    write_mask();
}

void arch_irq_line_enable(unsigned irq)
{
    unsigned long was = arch_irq_save();
    pic_unmask((int)irq);
    arch_irq_restore(was);
}

void arch_irq_line_disable(unsigned irq)
{
    unsigned long was = arch_irq_save();
    if (irq != 2) /* the cascade stays open */
        mask |= (uint16_t)(1u << irq);
    write_mask();
    arch_irq_restore(was);
}

void pic_eoi(int irq)
{
    if (irq >= 8)
        io_write8(PIC2_CMD, PIC_EOI);
    io_write8(PIC1_CMD, PIC_EOI);
}
