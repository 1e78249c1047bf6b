/* The AMD PCnet-PCI II (Am79C970A) Ethernet controller: what the
 * driver's files share. pcnet.c finds and starts the chip, ring.c moves
 * frames through its descriptor rings, netdev.c is the INetDevice over
 * it. The chip is used in word I/O mode (16-bit registers at BAR0) with
 * software style 2: 32-bit descriptors of four words. */
#ifndef DRIVERS_NET_PCNET_H
#define DRIVERS_NET_PCNET_H

#include <INetDevice.h>
#include <arch/mmu.h>
#include <kernel/sync/lock.h>
#include <stdbool.h>
#include <stdint.h>

#define PCNET_VENDOR 0x1022 /* AMD */
#define PCNET_DEVICE 0x2000 /* Am79C970A */

/* Word I/O registers, from BAR0. */
#define PCNET_APROM 0x00 /* the station address in bytes 0-5 */
#define PCNET_RDP   0x10 /* the CSR that RAP selects */
#define PCNET_RAP   0x12
#define PCNET_RESET 0x14 /* reading it resets the chip */
#define PCNET_BDP   0x16 /* the BCR that RAP selects */

/* CSR0, the controller status: interrupt flags (cleared by writing ones)
 * and commands. */
#define CSR0_INIT 0x0001
#define CSR0_STRT 0x0002
#define CSR0_STOP 0x0004
#define CSR0_TDMD 0x0008 /* look at the transmit ring now */
#define CSR0_IENA 0x0040
#define CSR0_INTR 0x0080
#define CSR0_IDON 0x0100
#define CSR0_TINT 0x0200
#define CSR0_RINT 0x0400
#define CSR0_MERR 0x0800
#define CSR0_MISS 0x1000
#define CSR0_CERR 0x2000
#define CSR0_BABL 0x4000
#define CSR0_ACK  (CSR0_IDON | CSR0_TINT | CSR0_RINT | CSR0_MERR | CSR0_MISS | CSR0_CERR | CSR0_BABL)

#define PCNET_CSR_IADR_LO 1 /* the init block's address */
#define PCNET_CSR_IADR_HI 2
#define PCNET_CSR_MASKS   3   /* interrupt masks */
#define PCNET_CSR_MISSED  112 /* frames missed for want of a buffer (16 bits) */
#define CSR3_IDONM        0x0100

#define PCNET_BCR_LINK    4  /* bit 15: link up */
#define PCNET_BCR_SWSTYLE 20 /* 2: 32-bit PCnet-PCI descriptors and init block */
#define BCR4_LINK         0x8000
#define SWSTYLE_PCI       2

/* Descriptor word 1 of both rings: the ownership and status bits above,
 * the buffer's size as a negative 12-bit count (with four ones) below. */
#define DESC_OWN     0x80000000u /* the chip's until it clears it */
#define DESC_ERR     0x40000000u
#define DESC_STP     0x02000000u /* the frame's first buffer */
#define DESC_ENP     0x01000000u /* and its last */
#define DESC_ONES    0x0000f000u
#define DESC_BCNT(n) ((uint32_t)(-(int32_t)(n)) & 0xfffu)
#define TMD1_MORE    0x10000000u /* more than one retry was needed */
#define TMD1_ONE     0x08000000u /* exactly one */
#define TMD2_RTRY    0x04000000u /* gave up after 16 collisions */
#define TMD2_LCOL    0x10000000u /* late collision */
#define RMD2_MCNT    0x00000fffu /* the frame's bytes, with the FCS */

#define PCNET_FCS        4
#define PCNET_MIN_FRAME  60 /* without FCS: shorter ones are padded */
#define PCNET_MTU        1500
#define PCNET_RX_LOG2    4
#define PCNET_TX_LOG2    4
#define PCNET_RX_RING    (1u << PCNET_RX_LOG2)
#define PCNET_TX_RING    (1u << PCNET_TX_LOG2)
#define PCNET_BUF_SIZE   1536 /* a whole frame with its FCS, 16-byte multiple */
#define PCNET_TIMEOUT_MS 2000 /* how long Send waits for a free slot */

/* A descriptor as the chip reads it (software style 2): 16 bytes. */
struct pcnet_desc {
    uint32_t addr;   /* the buffer's physical address */
    uint32_t status; /* DESC_* and the negative buffer size */
    uint32_t misc;   /* receive: the frame size; transmit: error bits */
    uint32_t user;
};

/* The initialization block the chip reads at INIT (software style 2). */
struct pcnet_init_block {
    uint32_t mode_lengths; /* mode in bits 0-15, log2 ring sizes at 20 and 28 */
    uint8_t mac[6];
    uint16_t reserved;
    uint32_t ladrf[2]; /* the multicast filter: none */
    uint32_t rx_ring, tx_ring;
};

/* One controller. The interrupt handler touches all of it, so it lives
 * in the kernel image (unmapped); the rings, the init block and the
 * buffers are in one unmapped, physically contiguous block, used
 * through its uncached view. */
struct pcnet {
    INetDevice object; /* first: the object is the controller */
    uint16_t io;       /* BAR0 */
    unsigned irq;
    bool present;
    uint8_t mac[6];
    volatile struct pcnet_desc *rx, *tx;
    volatile struct pcnet_init_block *init;
    uint8_t *rx_buf, *tx_buf; /* ring index i's buffer at i * PCNET_BUF_SIZE */
    paddr_t phys;             /* the block's physical address */
    /* Receive: Receive takes descriptor rx_tail; rx_ready descriptors
     * from there are the driver's (the handler counted them done). */
    unsigned rx_tail;
    volatile unsigned rx_ready;
    /* Transmit: Send fills tx_next; tx_busy descriptors before it, from
     * tx_done, are the chip's until the handler sees them done. */
    unsigned tx_next, tx_done;
    volatile unsigned tx_busy;
    uint16_t tx_len[PCNET_TX_RING];
    struct mutex send_lock, receive_lock;
    /* The thread blocked in Receive or Send (one each: the locks), woken
     * by the handler when rx_ready or tx_busy moves. */
    struct thread *volatile rx_waiter, *volatile tx_waiter;
    /* Counters (NET_DEVICE_INFO), kept by the handler and Receive. */
    uint32_t frames_sent, frames_received, rx_errors, tx_errors, collisions;
    uint64_t bytes_sent, bytes_received;
    uint32_t missed_before; /* CSR112 at start */
    unsigned long interrupts;
};

/* pcnet.c: the chip's registers (callers keep interrupts off, since the
 * handler moves RAP too). */
uint16_t pcnet_csr_read(struct pcnet *p, unsigned csr);
void pcnet_csr_write(struct pcnet *p, unsigned csr, uint16_t v);
uint16_t pcnet_bcr_read(struct pcnet *p, unsigned bcr);

/* ring.c: reserve and fill the rings and the init block (false: no
 * memory); the handler's work for RINT and TINT; a frame out and in. */
bool pcnet_rings_setup(struct pcnet *p);
void pcnet_rx_collect(struct pcnet *p);
void pcnet_tx_collect(struct pcnet *p);
SCODE pcnet_send(struct pcnet *p, const uint8_t *frame, uint32_t size);
SCODE pcnet_receive(struct pcnet *p, uint8_t *frame, uint32_t size, uint32_t timeout_ms,
                    uint32_t *received);

/* netdev.c: make p's INetDevice object. */
void pcnet_object_init(struct pcnet *p);

/* The controller "net0" is (NULL when the machine has none): for tests. */
struct pcnet *pcnet_device(void);
/* Find the controller, start it and register it as "net0" (kmain). */
void pcnet_start(void);

#endif
