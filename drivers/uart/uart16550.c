/* The 16550 UART at COM1 (ISA port 0x3f8, line 4 on both machines): the
 * kernel's serial console. Output is polled (it waits for the transmit
 * holding register). Input comes by interrupt once uart_start_input has
 * registered the handler: the receive interrupt moves characters into a
 * ring in the kernel image (unmapped memory, paper 2.3), which readers
 * drain; before that, uart_getc polls. */
#include <arch/io.h>
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/irq.h>

#define COM1     0x3f8
#define COM1_IRQ 4
#define RBR      0 /* receive buffer (read) */
#define THR      0 /* transmit holding (write) */
#define IER      1 /* interrupt enable */
#define FCR      2 /* FIFO control */
#define LCR      3 /* line control */
#define MCR      4 /* modem control */
#define LSR      5 /* line status */
#define DLL      0 /* divisor latch, with LCR.DLAB */
#define DLM      1

#define LCR_8N1  0x03
#define LCR_DLAB 0x80
#define LSR_DR   0x01 /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */
#define IER_RDA  0x01 /* interrupt when received data is available */
#define MCR_OUT2 0x08 /* the PC's gate of the UART's interrupt to the 8259 */

#define RING_SIZE 1024 /* a power of two */

/* What the handler received and readers have not taken. When it fills,
 * the handler turns the receive interrupt off and leaves the rest in the
 * UART's FIFO, so the sender waits instead of losing input; the next
 * read turns it on again. */
static struct {
    uint8_t buf[RING_SIZE];
    unsigned head, tail; /* free-running: head - tail characters wait */
    bool started;        /* input by interrupt */
    bool paused;         /* full: the receive interrupt is off */
} rx;

void uart_init(void)
{
    io_write8(COM1 + IER, 0x00); /* no interrupt until uart_start_input */
    io_write8(COM1 + LCR, LCR_DLAB);
    io_write8(COM1 + DLL, 1); /* 115200 baud */
    io_write8(COM1 + DLM, 0);
    io_write8(COM1 + LCR, LCR_8N1);
    io_write8(COM1 + FCR, 0x07);            /* enable and clear FIFOs; interrupt at 1 byte */
    io_write8(COM1 + MCR, 0x03 | MCR_OUT2); /* DTR, RTS */
}

/* The receive interrupt: touches the UART and rx only (unmapped). */
static void uart_interrupt(void *arg __attribute__((unused)))
{
    while (io_read8(COM1 + LSR) & LSR_DR) {
        if (rx.head - rx.tail == RING_SIZE) {
            rx.paused = true;
            io_write8(COM1 + IER, 0);
            return;
        }
        rx.buf[rx.head++ % RING_SIZE] = io_read8(COM1 + RBR);
    }
}

void uart_start_input(void)
{
    rx.started = irq_register(COM1_IRQ, uart_interrupt, 0);
    if (rx.started)
        io_write8(COM1 + IER, IER_RDA);
}

void uart_putc(char c)
{
    while (!(io_read8(COM1 + LSR) & LSR_THRE))
        ;
    io_write8(COM1 + THR, (uint8_t)c);
}

static int poll_getc(void)
{
    if (!(io_read8(COM1 + LSR) & LSR_DR))
        return -1;
    return io_read8(COM1 + RBR);
}

int uart_getc(void)
{
    if (!rx.started)
        return poll_getc();
    unsigned long was = arch_irq_save();
    int c = rx.tail != rx.head ? rx.buf[rx.tail++ % RING_SIZE] : -1;
    if (rx.paused) {
        rx.paused = false;
        io_write8(COM1 + IER, IER_RDA);
    }
    arch_irq_restore(was);
    return c;
}
