/* The 16550 UART at COM1 (ISA port 0x3f8): the kernel's serial console.
 * Polled: output waits for the transmit holding register, input is
 * checked by the console between timer ticks. */
#include <arch/io.h>
#include <kernel/console.h>

#define COM1 0x3f8
#define RBR  0 /* receive buffer (read) */
#define THR  0 /* transmit holding (write) */
#define IER  1 /* interrupt enable */
#define FCR  2 /* FIFO control */
#define LCR  3 /* line control */
#define MCR  4 /* modem control */
#define LSR  5 /* line status */
#define DLL  0 /* divisor latch, with LCR.DLAB */
#define DLM  1

#define LCR_8N1  0x03
#define LCR_DLAB 0x80
#define LSR_DR   0x01 /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */

void uart_init(void)
{
    io_write8(COM1 + IER, 0x00); /* polled */
    io_write8(COM1 + LCR, LCR_DLAB);
    io_write8(COM1 + DLL, 1); /* 115200 baud */
    io_write8(COM1 + DLM, 0);
    io_write8(COM1 + LCR, LCR_8N1);
    io_write8(COM1 + FCR, 0x07); /* enable and clear FIFOs */
    io_write8(COM1 + MCR, 0x03); /* DTR, RTS */
}

void uart_putc(char c)
{
    while (!(io_read8(COM1 + LSR) & LSR_THRE))
        ;
    io_write8(COM1 + THR, (uint8_t)c);
}

int uart_getc(void)
{
    if (!(io_read8(COM1 + LSR) & LSR_DR))
        return -1;
    return io_read8(COM1 + RBR);
}
