/* ATA disks on an IDE channel (drivers/ata/ata.c): the register protocol
 * of the command block, PIO transfers, completion by interrupt. piix.c
 * finds the PIIX controller and its channels; disk.c puts an IBlockDevice
 * over each drive. */
#ifndef DRIVERS_ATA_ATA_H
#define DRIVERS_ATA_ATA_H

#include <IBlockDevice.h>
#include <kernel/sync/lock.h>
#include <stdbool.h>
#include <stdint.h>

#define ATA_SECTOR      512
#define ATA_MAX_SECTORS 128 /* one command's transfer: 64 KiB */
#define ATA_LBA28_LIMIT (1u << 28)
/* How long a command may take: generous, because under -icount guest
 * time races ahead while the CPU is idle and QEMU's host I/O is not. */
#define ATA_TIMEOUT_MS 10000

/* One channel: what its interrupt handler touches lives here, so a
 * channel must be in unmapped memory (piix.c's are in the image). */
struct ata_channel {
    uint16_t base;    /* the command block: data at base, status at base + 7 */
    uint16_t control; /* device control / alternate status */
    unsigned irq;
    unsigned timeout_ticks; /* a command not done by then is BLK_E_TIMEOUT */
    volatile bool irq_seen;
    volatile uint8_t irq_status; /* the status the handler read (acknowledging) */
    struct mutex lock;           /* one command at a time */
};

struct ata_drive {
    IBlockDevice object; /* first: the object is the drive */
    struct ata_channel *channel;
    unsigned unit; /* 0: master, 1: slave */
    bool present;  /* an ATA disk answered IDENTIFY */
    uint32_t sectors;
    char model[41];
};

/* The channel's interrupt handler (irq_register's argument: the channel). */
void ata_interrupt(void *channel);
/* Ask the drive who it is: S_OK and present, size and model set for an
 * ATA disk; BLK_E_NO_DEVICE for nothing or an ATAPI device. */
SCODE ata_identify(struct ata_drive *d);
/* Move count sectors (1 .. ATA_MAX_SECTORS, inside the disk) by PIO. */
SCODE ata_read(struct ata_drive *d, uint32_t lba, unsigned count, void *buf);
SCODE ata_write(struct ata_drive *d, uint32_t lba, unsigned count, const void *buf);

#endif
