/* ATA disks on an IDE channel (drivers/ata/ata.c): the register protocol
 * of the command block, PIO transfers, completion by interrupt. piix.c
 * finds the PIIX controller and its channels; disk.c puts an IBlockDevice
 * over each drive. */
#ifndef DRIVERS_ATA_ATA_H
#define DRIVERS_ATA_ATA_H

#include <IBlockDevice.h>
#include <arch/mmu.h>
#include <kernel/sync/lock.h>
#include <stdbool.h>
#include <stdint.h>

#define ATA_SECTOR      512
#define ATA_MAX_SECTORS 128 /* one command's transfer: 64 KiB */
/* How long a command may take, of guest time, which the idle thread
 * keeps at the pace of instructions while a command is in flight (see
 * ata_wait_interrupt). Short for a disk spinning up (Linux allows 30 s),
 * but under the tests' -icount a second of guest time is several seconds
 * of the host's, and QEMU's disks answer in milliseconds. */
#define ATA_TIMEOUT_MS 3000

/* One channel: what its interrupt handler touches lives here, so a
 * channel must be in unmapped memory (piix.c's are in the image). */
struct ata_channel {
    uint16_t base;    /* the command block: data at base, status at base + 7 */
    uint16_t control; /* device control / alternate status */
    unsigned irq;
    unsigned timeout_ticks; /* a command not done by then is BLK_E_TIMEOUT */
    volatile bool irq_seen;
    volatile uint8_t irq_status;    /* the status the handler read (acknowledging) */
    struct thread *volatile waiter; /* blocked in ata_wait_interrupt, or NULL */
    struct mutex lock;              /* one command at a time */
    /* Bus-master DMA (dma.c), when the controller has it: its registers,
     * and the PRD table and a bounce buffer of ATA_MAX_SECTORS sectors in
     * unmapped memory (their uncached views, and physical addresses). */
    uint16_t bm; /* 0: PIO only */
    volatile uint32_t *prd;
    uint8_t *bounce;
    paddr_t prd_phys, bounce_phys;
};

struct ata_drive {
    IBlockDevice object; /* first: the object is the drive */
    struct ata_channel *channel;
    unsigned unit; /* 0: master, 1: slave */
    bool present;  /* an ATA disk answered IDENTIFY */
    uint32_t sectors;
    char model[41];
    bool use_dma;                /* transfers by bus-master DMA (the channel has it) */
    unsigned long dma_transfers; /* commands that moved data by DMA (for tests) */
};

/* The channel's interrupt handler (irq_register's argument: the channel). */
void ata_interrupt(void *channel);
/* Ask the drive who it is: S_OK and present, size and model set for an
 * ATA disk; BLK_E_NO_DEVICE for nothing or an ATAPI device. */
SCODE ata_identify(struct ata_drive *d);
/* Move count sectors (1 .. ATA_MAX_SECTORS, inside the disk) by PIO. */
SCODE ata_read(struct ata_drive *d, uint32_t lba, unsigned count, void *buf);
SCODE ata_write(struct ata_drive *d, uint32_t lba, unsigned count, const void *buf);

/* Choose DMA (true, where the channel has it) or PIO for d's transfers. */
void ata_set_dma(struct ata_drive *d, bool on);

/* ata.c's steps, which dma.c shares: issue a command (registers loaded,
 * the interrupt flag cleared); wait for the interrupt (false: timed out);
 * reset the channel after a timeout and say BLK_E_TIMEOUT; whether a
 * status reports an error. */
SCODE ata_start_command(struct ata_drive *d, uint8_t cmd, uint32_t lba, unsigned count);
bool ata_wait_interrupt(struct ata_channel *c, uint8_t *st);
SCODE ata_timed_out(struct ata_channel *c);
bool ata_failed(uint8_t st);

/* dma.c: give c bus-master DMA with registers at port bm (reserving its
 * PRD table and bounce buffer); false if memory is short. */
bool ata_dma_setup(struct ata_channel *c, uint16_t bm);
/* Move count sectors by DMA; the channel's lock is held. */
SCODE ata_dma_transfer(struct ata_drive *d, uint32_t lba, unsigned count, uint8_t *buf, bool write);

#endif
