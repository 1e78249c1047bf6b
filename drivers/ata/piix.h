/* The PIIX IDE controller (PIIX3 on the PC, PIIX4 on malta; drivers/ata/
 * piix.c): two channels at the legacy ports, IRQ 14 and 15, each with a
 * master and a slave. */
#ifndef DRIVERS_ATA_PIIX_H
#define DRIVERS_ATA_PIIX_H

#include <IBlockDevice.h>

#define PIIX_DRIVES 4 /* primary master, primary slave, secondary master, slave */

struct ata_drive;
struct ata_channel;

/* At boot: find the controller on the PCI bus, take its interrupts, ask
 * each drive position who is there, and register every ATA disk with the
 * name service as "diskN" (N its position: disk0 is the primary master). */
void piix_start(void);

/* The block device at a position (0 .. PIIX_DRIVES - 1), there or not:
 * one with no disk answers BLK_E_NO_DEVICE. NULL for another position,
 * or before piix_start found the controller. */
IBlockDevice *piix_drive(unsigned position);

/* disk.c: make d the IBlockDevice of unit (0 master, 1 slave) of c. */
void disk_init(struct ata_drive *d, struct ata_channel *c, unsigned unit);

#endif
