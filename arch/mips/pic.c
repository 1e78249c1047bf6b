/* The PIIX4's two 8259A interrupt controllers (ISA lines 0-15), whose
 * output reaches the CPU as hardware interrupt IP2 (through the GT-64120
 * on a real malta). The vector base they are given is unused: the CPU
 * takes one exception for all of them, and the line is found by polling
 * the controllers (OCW3's poll command, which also acknowledges it). */
#include <arch/io.h>
#include <arch/mips.h>
#include <kernel/arch.h>
#include <kernel/irq.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20
#define OCW3_POLL 0x0c
#define POLL_IRQ  0x80 /* a poll's answer: an interrupt is pending */
#define CASCADE   2

static uint16_t mask = 0xffff & ~(1u << CASCADE); /* all masked but the cascade */

static void write_mask(void)
{
    io_write8(PIC1_DATA, (uint8_t)mask);
    io_write8(PIC2_DATA, (uint8_t)(mask >> 8));
}

void mips_pic_init(void)
{
    io_write8(PIC1_CMD, 0x11); /* ICW1: edge triggered, cascade, ICW4 follows */
    io_write8(PIC2_CMD, 0x11);
    io_write8(PIC1_DATA, 0); /* ICW2: vector base (unused) */
    io_write8(PIC2_DATA, 8);
    io_write8(PIC1_DATA, 1u << CASCADE); /* ICW3: slave on line 2 */
    io_write8(PIC2_DATA, CASCADE);
    io_write8(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
    io_write8(PIC2_DATA, 0x01);
    write_mask();
    /* Threads copy Status when they are made: every one has IP2 open. */
    write_c0_status(read_c0_status() | ST_IM2);
}

void arch_irq_line_enable(unsigned irq)
{
    unsigned long was = arch_irq_save();
    mask &= (uint16_t) ~(1u << irq);
    write_mask();
    arch_irq_restore(was);
}

void arch_irq_line_disable(unsigned irq)
{
    unsigned long was = arch_irq_save();
    if (irq != CASCADE)
        mask |= (uint16_t)(1u << irq);
    write_mask();
    arch_irq_restore(was);
}

/* The line one controller has pending (acknowledged), or -1. */
static int poll(uint16_t cmd)
{
    io_write8(cmd, OCW3_POLL);
    uint8_t answer = io_read8(cmd);
    return answer & POLL_IRQ ? answer & 7 : -1;
}

/* IP2: find the line, end the interrupt at the controllers (edge
 * triggered, so a new edge during the handler is kept), run its handler. */
void mips_pic_interrupt(void)
{
    int irq = poll(PIC1_CMD);
    if (irq < 0)
        return; /* gone already */
    if (irq == CASCADE) {
        int slave = poll(PIC2_CMD);
        irq = slave < 0 ? -1 : 8 + slave;
        io_write8(PIC2_CMD, PIC_EOI);
    }
    io_write8(PIC1_CMD, PIC_EOI);
    if (irq >= 0)
        irq_dispatch((unsigned)irq);
}
