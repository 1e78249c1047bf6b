/* The ATA register protocol over one IDE channel (see ata.h): LBA28
 * commands, PIO data, and completion by the channel's interrupt. A
 * command waits at most the channel's timeout_ticks, then resets the
 * channel and answers BLK_E_TIMEOUT. */
#include "ata.h"

#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/sched/np.h>
#include <kernel/sched/sched.h>
#include <kernel/timer.h>

#define REG_DATA    0
#define REG_ERROR   1
#define REG_COUNT   2
#define REG_LBA0    3
#define REG_LBA1    4
#define REG_LBA2    5
#define REG_DRIVE   6
#define REG_STATUS  7 /* reading it acknowledges the interrupt */
#define REG_COMMAND 7

#define ST_BSY  0x80
#define ST_DRDY 0x40
#define ST_DF   0x20
#define ST_DRQ  0x08
#define ST_ERR  0x01

#define CTL_SRST 0x04 /* software reset; nIEN (0x02) stays clear: interrupts on */

#define DRIVE_LBA 0xe0 /* LBA addressing (and the two obsolete ones) */

#define CMD_READ_SECTORS  0x20
#define CMD_WRITE_SECTORS 0x30
#define CMD_FLUSH_CACHE   0xe7
#define CMD_IDENTIFY      0xec

#define ATAPI_LBA1 0x14 /* the signature a packet device leaves */
#define ATAPI_LBA2 0xeb

static uint8_t alt_status(struct ata_channel *c)
{
    return io_read8(c->control); /* does not acknowledge the interrupt */
}

/* The drive needs 400 ns after a select before its status is its own. */
static void settle(struct ata_channel *c)
{
    for (int i = 0; i < 4; i++)
        alt_status(c);
}

void ata_interrupt(void *channel)
{
    struct ata_channel *c = channel;
    c->irq_status = io_read8(c->base + REG_STATUS);
    c->irq_seen = true;
    if (c->waiter)
        sched_wake(c->waiter);
}

/* Poll until BSY clears: the status then, or false at the deadline. */
static bool wait_not_busy(struct ata_channel *c, uint8_t *st)
{
    uint64_t end = timer_ticks() + c->timeout_ticks;
    while ((*st = alt_status(c)) & ST_BSY)
        if (timer_ticks() >= end)
            return false;
    return true;
}

/* Wait for the channel's interrupt (its handler sets irq_seen and wakes
 * the waiter): the status the handler read, or false at the deadline.
 * The wait blocks; the idle thread spins meanwhile (sched_idle_pace), so
 * the deadline stays in guest instructions under -icount sleep=off,
 * where halts would let the guest's ticks race past it while QEMU's host
 * thread still does the I/O. */
bool ata_wait_interrupt(struct ata_channel *c, uint8_t *st)
{
    uint64_t end = timer_ticks() + c->timeout_ticks;
    sched_idle_pace(true);
    unsigned long irq = np_begin(NP_SCHED);
    c->waiter = thread_current();
    while (!c->irq_seen && sched_wait_goes_on(end))
        irq = sched_wait_interruptible(NP_SCHED, irq, end);
    c->waiter = 0;
    bool seen = c->irq_seen;
    c->irq_seen = false;
    *st = c->irq_status;
    np_end(NP_SCHED, irq);
    sched_idle_pace(false);
    return seen;
}

/* After a timeout: reset both drives of the channel to a known state. */
static void reset_channel(struct ata_channel *c)
{
    uint8_t st;
    io_write8(c->control, CTL_SRST);
    settle(c);
    io_write8(c->control, 0);
    wait_not_busy(c, &st);
    c->irq_seen = false;
}

SCODE ata_timed_out(struct ata_channel *c)
{
    kprintf("ide: channel %#x: a command timed out (status %#x); resetting\n", c->base,
            alt_status(c));
    reset_channel(c);
    return BLK_E_TIMEOUT;
}

/* Select the drive, load the registers and issue cmd. */
SCODE ata_start_command(struct ata_drive *d, uint8_t cmd, uint32_t lba, unsigned count)
{
    struct ata_channel *c = d->channel;
    uint8_t st;
    io_write8(c->base + REG_DRIVE, (uint8_t)(DRIVE_LBA | d->unit << 4 | (lba >> 24 & 0xf)));
    settle(c);
    if (!wait_not_busy(c, &st))
        return ata_timed_out(c);
    io_write8(c->base + REG_COUNT, (uint8_t)count); /* 256 would be 0 */
    io_write8(c->base + REG_LBA0, (uint8_t)lba);
    io_write8(c->base + REG_LBA1, (uint8_t)(lba >> 8));
    io_write8(c->base + REG_LBA2, (uint8_t)(lba >> 16));
    c->irq_seen = false;
    io_write8(c->base + REG_COMMAND, cmd);
    return S_OK;
}

static void read_data(struct ata_channel *c, uint8_t *buf)
{
    for (unsigned i = 0; i < ATA_SECTOR; i += 2) {
        uint16_t w = io_read16(c->base + REG_DATA);
        buf[i] = (uint8_t)w;
        buf[i + 1] = (uint8_t)(w >> 8);
    }
}

static void write_data(struct ata_channel *c, const uint8_t *buf)
{
    for (unsigned i = 0; i < ATA_SECTOR; i += 2)
        io_write16(c->base + REG_DATA, (uint16_t)(buf[i] | buf[i + 1] << 8));
}

bool ata_failed(uint8_t st)
{
    return st & (ST_ERR | ST_DF);
}

/* IDENTIFY's strings hold two characters a word, the first in the high byte. */
static void copy_model(char *model, const uint8_t *id)
{
    for (unsigned i = 0; i < 40; i += 2) {
        model[i] = (char)id[54 + i + 1];
        model[i + 1] = (char)id[54 + i];
    }
    unsigned n = 40;
    while (n > 0 && model[n - 1] == ' ')
        n--;
    model[n] = '\0';
}

/* IDENTIFY is polled, not waited for by interrupt: where no drive is,
 * nothing would ever interrupt. */
static SCODE identify_locked(struct ata_drive *d, uint8_t id[ATA_SECTOR])
{
    struct ata_channel *c = d->channel;
    uint8_t st;
    SCODE sc = ata_start_command(d, CMD_IDENTIFY, 0, 0);
    if (FAILED(sc))
        return sc == BLK_E_TIMEOUT ? BLK_E_NO_DEVICE : sc;
    st = alt_status(c);
    if (st == 0 || st == 0xff) /* no drive answers: nothing, or a floating bus */
        return BLK_E_NO_DEVICE;
    if (!wait_not_busy(c, &st))
        return ata_timed_out(c);
    bool atapi =
        io_read8(c->base + REG_LBA1) == ATAPI_LBA1 && io_read8(c->base + REG_LBA2) == ATAPI_LBA2;
    if (atapi || ata_failed(st) || !(st & ST_DRQ))
        return BLK_E_NO_DEVICE;
    read_data(c, id);
    return S_OK;
}

SCODE ata_identify(struct ata_drive *d)
{
    uint8_t id[ATA_SECTOR];
    mutex_lock(&d->channel->lock);
    d->present = false; /* until the drive says otherwise */
    SCODE sc = identify_locked(d, id);
    uint32_t sectors = (uint32_t)(id[120] | id[121] << 8 | id[122] << 16 | (uint32_t)id[123] << 24);
    if (SUCCEEDED(sc) && sectors) {
        d->sectors = sectors;
        copy_model(d->model, id);
        d->present = true;
    }
    mutex_unlock(&d->channel->lock);
    return d->present ? S_OK : BLK_E_NO_DEVICE;
}

static SCODE read_locked(struct ata_drive *d, uint32_t lba, unsigned count, uint8_t *buf)
{
    struct ata_channel *c = d->channel;
    uint8_t st;
    SCODE sc = ata_start_command(d, CMD_READ_SECTORS, lba, count);
    for (unsigned i = 0; i < count && SUCCEEDED(sc); i++) {
        if (!ata_wait_interrupt(c, &st))
            return ata_timed_out(c);
        if (ata_failed(st) || !(st & ST_DRQ))
            return BLK_E_IO;
        read_data(c, buf + i * ATA_SECTOR);
    }
    return sc;
}

SCODE ata_read(struct ata_drive *d, uint32_t lba, unsigned count, void *buf)
{
    mutex_lock(&d->channel->lock);
    SCODE sc =
        d->use_dma ? ata_dma_transfer(d, lba, count, buf, false) : read_locked(d, lba, count, buf);
    mutex_unlock(&d->channel->lock);
    return sc;
}

/* Each sector: wait for the drive to ask for it (DRQ), hand it over, and
 * wait for the interrupt that says it was taken. */
static SCODE write_locked(struct ata_drive *d, uint32_t lba, unsigned count, const uint8_t *buf)
{
    struct ata_channel *c = d->channel;
    uint8_t st;
    SCODE sc = ata_start_command(d, CMD_WRITE_SECTORS, lba, count);
    for (unsigned i = 0; i < count && SUCCEEDED(sc); i++) {
        if (!wait_not_busy(c, &st))
            return ata_timed_out(c);
        if (ata_failed(st) || !(st & ST_DRQ))
            return BLK_E_IO;
        write_data(c, buf + i * ATA_SECTOR);
        if (!ata_wait_interrupt(c, &st))
            return ata_timed_out(c);
        if (ata_failed(st))
            return BLK_E_IO;
    }
    return sc;
}

/* Written data is on the medium when FLUSH CACHE completes. */
static SCODE flush_locked(struct ata_drive *d)
{
    uint8_t st;
    SCODE sc = ata_start_command(d, CMD_FLUSH_CACHE, 0, 0);
    if (FAILED(sc))
        return sc;
    if (!ata_wait_interrupt(d->channel, &st))
        return ata_timed_out(d->channel);
    return ata_failed(st) ? BLK_E_IO : S_OK;
}

SCODE ata_write(struct ata_drive *d, uint32_t lba, unsigned count, const void *buf)
{
    mutex_lock(&d->channel->lock);
    SCODE sc = d->use_dma ? ata_dma_transfer(d, lba, count, (uint8_t *)buf, true)
                          : write_locked(d, lba, count, buf);
    if (SUCCEEDED(sc))
        sc = flush_locked(d);
    mutex_unlock(&d->channel->lock);
    return sc;
}

void ata_set_dma(struct ata_drive *d, bool on)
{
    d->use_dma = on && d->channel->bm;
}
