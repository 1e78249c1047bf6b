/* The PCnet's descriptor rings (see pcnet.h): PCNET_RX_RING receive and
 * PCNET_TX_RING transmit descriptors, each with its own buffer, in one
 * block of unmapped, physically contiguous memory used uncached. Frames
 * are copied between the caller's memory and these buffers by the CPU:
 * the caller's buffer may be a process's memory, mapped, or shared
 * copy-on-write (as for the IDE driver's bounce buffer). A descriptor
 * is the chip's while its OWN bit is set; the driver hands descriptors
 * over in ring order and takes them back in ring order. */
#include "pcnet.h"

#include <kernel/arch.h>
#include <kernel/sched/np.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/timer.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/vm.h>

#include <config.h>

/* The block: the init block and both rings in the first page, then the
 * receive buffers and the transmit buffers. */
#define RINGS_SIZE  PAGE_SIZE
#define BUFS_OFFSET RINGS_SIZE
#define BLOCK_SIZE  (RINGS_SIZE + (PCNET_RX_RING + PCNET_TX_RING) * PCNET_BUF_SIZE)

_Static_assert(sizeof(struct pcnet_desc) == 16, "software style 2 descriptors are 16 bytes");
_Static_assert(sizeof(struct pcnet_init_block) == 28, "the 32-bit init block is 28 bytes");
_Static_assert(64 + (PCNET_RX_RING + PCNET_TX_RING) * 16 <= RINGS_SIZE, "rings fit their page");

/* The compiler must not move the buffer's copy past the OWN bit. */
#define ORDER() __asm__ volatile("" ::: "memory")

static void give_rx(struct pcnet *p, unsigned i)
{
    p->rx[i].misc = 0;
    ORDER();
    p->rx[i].status = DESC_OWN | DESC_ONES | DESC_BCNT(PCNET_BUF_SIZE);
}

bool pcnet_rings_setup(struct pcnet *p)
{
    vaddr_t va;
    if (FAILED(as_reserve(&kernel_as, &va, BLOCK_SIZE, AS_RESERVE_UNMAPPED)))
        return false;
    p->phys = virt_to_phys((void *)va);
    uint8_t *base = phys_to_virt_uncached(p->phys);
    p->init = (volatile struct pcnet_init_block *)base;
    p->rx = (volatile struct pcnet_desc *)(base + 64);
    p->tx = p->rx + PCNET_RX_RING;
    p->rx_buf = base + BUFS_OFFSET;
    p->tx_buf = p->rx_buf + PCNET_RX_RING * PCNET_BUF_SIZE;
    paddr_t rx_phys = p->phys + 64, tx_phys = rx_phys + PCNET_RX_RING * 16;
    paddr_t buf_phys = p->phys + BUFS_OFFSET;
    for (unsigned i = 0; i < PCNET_RX_RING; i++) {
        p->rx[i].addr = (uint32_t)(buf_phys + i * PCNET_BUF_SIZE);
        give_rx(p, i);
    }
    for (unsigned i = 0; i < PCNET_TX_RING; i++) {
        p->tx[i] = (struct pcnet_desc){
            .addr = (uint32_t)(buf_phys + (PCNET_RX_RING + i) * PCNET_BUF_SIZE)};
    }
    p->init->mode_lengths = (uint32_t)PCNET_RX_LOG2 << 20 | (uint32_t)PCNET_TX_LOG2 << 28;
    for (unsigned i = 0; i < 6; i++)
        p->init->mac[i] = p->mac[i];
    p->init->ladrf[0] = p->init->ladrf[1] = 0;
    p->init->rx_ring = (uint32_t)rx_phys;
    p->init->tx_ring = (uint32_t)tx_phys;
    return true;
}

/* The handler, for RINT: every descriptor the chip has finished since
 * the last call becomes the driver's, counted (good or damaged). */
void pcnet_rx_collect(struct pcnet *p)
{
    while (p->rx_ready < PCNET_RX_RING) {
        volatile struct pcnet_desc *d = &p->rx[(p->rx_tail + p->rx_ready) % PCNET_RX_RING];
        uint32_t st = d->status;
        if (st & DESC_OWN)
            break;
        uint32_t bytes = d->misc & RMD2_MCNT;
        if ((st & DESC_ERR) || (st & (DESC_STP | DESC_ENP)) != (DESC_STP | DESC_ENP) ||
            bytes < PCNET_FCS + 14) {
            p->rx_errors++;
        } else {
            p->frames_received++;
            p->bytes_received += bytes - PCNET_FCS;
        }
        p->rx_ready++;
        if (p->rx_waiter)
            sched_wake(p->rx_waiter);
    }
}

/* The handler, for TINT: the chip's finished transmit descriptors come
 * back, with their outcome counted. */
void pcnet_tx_collect(struct pcnet *p)
{
    while (p->tx_busy > 0) {
        volatile struct pcnet_desc *d = &p->tx[p->tx_done];
        uint32_t st = d->status;
        if (st & DESC_OWN)
            break;
        uint32_t misc = d->misc;
        if (st & DESC_ERR) {
            p->tx_errors++;
            if (misc & (TMD2_RTRY | TMD2_LCOL))
                p->collisions += misc & TMD2_RTRY ? 16 : 1;
        } else {
            p->frames_sent++;
            p->bytes_sent += p->tx_len[p->tx_done];
            p->collisions += st & TMD1_MORE ? 2 : st & TMD1_ONE ? 1 : 0;
        }
        p->tx_done = (p->tx_done + 1) % PCNET_TX_RING;
        p->tx_busy--;
        if (p->tx_waiter)
            sched_wake(p->tx_waiter);
    }
}

/* Wait until *count (which the handler changes) differs from full, up
 * to ticks: whether it did. The waiter blocks and the handler wakes it,
 * so the idle thread halts meanwhile (a wait for the network is not
 * work, and may be long: the net service's receive thread waits all the
 * time). */
static bool wait_while(volatile unsigned *count, unsigned full, uint64_t ticks,
                       struct thread *volatile *waiter)
{
    uint64_t end = timer_ticks() + ticks;
    unsigned long irq = np_begin(NP_SCHED);
    *waiter = thread_current();
    while (*count == full && ticks && sched_wait_goes_on(end)) /* end may be 0 at tick 0 */
        irq = sched_wait_interruptible(NP_SCHED, irq, end);
    *waiter = 0;
    bool changed = *count != full;
    np_end(NP_SCHED, irq);
    return changed;
}

static uint64_t ms_to_ticks(uint32_t ms)
{
    return ((uint64_t)ms * CONFIG_HZ + 999) / 1000;
}

SCODE pcnet_send(struct pcnet *p, const uint8_t *frame, uint32_t size)
{
    mutex_lock(&p->send_lock);
    if (!wait_while(&p->tx_busy, PCNET_TX_RING, ms_to_ticks(PCNET_TIMEOUT_MS), &p->tx_waiter)) {
        mutex_unlock(&p->send_lock);
        return NETDEV_E_TIMEOUT;
    }
    unsigned i = p->tx_next;
    uint32_t len = size < PCNET_MIN_FRAME ? PCNET_MIN_FRAME : size;
    uint8_t *buf = p->tx_buf + i * PCNET_BUF_SIZE;
    memcpy(buf, frame, size);
    memset(buf + size, 0, len - size);
    p->tx_len[i] = (uint16_t)size;
    p->tx[i].misc = 0;
    ORDER();
    unsigned long irq = arch_irq_save();
    p->tx[i].status = DESC_OWN | DESC_STP | DESC_ENP | DESC_ONES | DESC_BCNT(len);
    p->tx_busy++;
    pcnet_csr_write(p, 0, CSR0_TDMD | CSR0_IENA);
    arch_irq_restore(irq);
    p->tx_next = (i + 1) % PCNET_TX_RING;
    mutex_unlock(&p->send_lock);
    return S_OK;
}

/* Take the driver's oldest receive descriptor: its frame into frame
 * (when it is good and fits), the descriptor back to the chip. */
static SCODE take_one(struct pcnet *p, uint8_t *frame, uint32_t size, uint32_t *received)
{
    unsigned i = p->rx_tail;
    uint32_t st = p->rx[i].status;
    uint32_t bytes = p->rx[i].misc & RMD2_MCNT;
    SCODE sc = S_FALSE; /* a damaged frame: none */
    if (!(st & DESC_ERR) && (st & (DESC_STP | DESC_ENP)) == (DESC_STP | DESC_ENP) &&
        bytes >= PCNET_FCS + 14) {
        bytes -= PCNET_FCS;
        sc = bytes > size ? NETDEV_E_TOO_SMALL : S_OK;
        if (sc == S_OK)
            memcpy(frame, p->rx_buf + i * PCNET_BUF_SIZE, bytes);
        *received = sc == S_OK ? bytes : 0;
    }
    /* the handler looks at rx_tail + rx_ready: both move at once */
    unsigned long irq = arch_irq_save();
    give_rx(p, i);
    p->rx_tail = (i + 1) % PCNET_RX_RING;
    p->rx_ready--;
    arch_irq_restore(irq);
    return sc;
}

SCODE pcnet_receive(struct pcnet *p, uint8_t *frame, uint32_t size, uint32_t timeout_ms,
                    uint32_t *received)
{
    uint64_t end = timer_ticks() + ms_to_ticks(timeout_ms);
    SCODE sc = S_FALSE;
    *received = 0;
    mutex_lock(&p->receive_lock);
    while (sc == S_FALSE) {
        uint64_t now = timer_ticks();
        if (!wait_while(&p->rx_ready, 0, end > now ? end - now : 0, &p->rx_waiter)) {
            sc = NETDEV_E_TIMEOUT;
            break;
        }
        sc = take_one(p, frame, size, received);
    }
    mutex_unlock(&p->receive_lock);
    return sc;
}
