/* The IDE disk driver (drivers/ata) through its IBlockDevice, on both
 * machines. Tests named disk_* boot with a disk (test/harness/guest.c):
 * GUEST_DISK_SECTORS sectors, every word of sector s holding
 * 0x5ec00000 | s; test/drivers/disk_image.c checks on the host what
 * disk_writes_then_reads_back wrote. */
#include <IBlockDevice.h>
#include <drivers/ata/ata.h>
#include <drivers/ata/piix.h>
#include <kernel/ipc/names.h>
#include <kernel/ktest.h>
#include <kernel/string.h>

#define DISK_SECTORS    2048 /* test/harness/guest.h's GUEST_DISK_SECTORS */
#define PATTERN(s)      (0x5ec00000u | (s))
#define WRITTEN_FIRST   10 /* where disk_writes_then_reads_back writes, */
#define WRITTEN_COUNT   4  /* and how many sectors: disk_image.c knows too */
#define WRITTEN_BYTE(i) ((uint8_t)((i)*7 + 1))

static uint8_t buf[WRITTEN_COUNT * ATA_SECTOR];

static IBlockDevice *disk0(void)
{
    void *o = 0;
    if (FAILED(names_lookup("disk0", &IID_IBlockDevice, &o)))
        return 0;
    return o;
}

static void release(IBlockDevice *d)
{
    d->lpVtbl->Release(d);
}

/* Sector s of buf holds the image's pattern for sector first + s. */
static bool holds_pattern(uint32_t first, unsigned count)
{
    for (unsigned s = 0; s < count; s++)
        for (unsigned i = 0; i < ATA_SECTOR; i += 4) {
            const uint8_t *p = buf + s * ATA_SECTOR + i;
            uint32_t w = (uint32_t)(p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
            if (w != PATTERN(first + s))
                return false;
        }
    return true;
}

/* Reads of the image as made: one sector, several, the last. */
KTEST(disk_reads_the_image)
{
    IBlockDevice *d = disk0();
    KT_ASSERT(d != 0);
    BLOCK_INFO info;
    SCODE info_sc = d->lpVtbl->GetInfo(d, &info);
    SCODE one = d->lpVtbl->ReadBlocks(d, 5, ATA_SECTOR, buf);
    bool one_ok = holds_pattern(5, 1);
    SCODE four = d->lpVtbl->ReadBlocks(d, 1000, sizeof buf, buf);
    bool four_ok = holds_pattern(1000, WRITTEN_COUNT);
    SCODE last = d->lpVtbl->ReadBlocks(d, DISK_SECTORS - 1, ATA_SECTOR, buf);
    bool last_ok = holds_pattern(DISK_SECTORS - 1, 1);
    release(d);
    KT_ASSERT_EQ(info_sc, S_OK);
    KT_ASSERT_EQ(info.BlockSize, ATA_SECTOR);
    KT_ASSERT_EQ(info.BlockCount, DISK_SECTORS);
    KT_ASSERT_EQ(info.MaxTransfer, ATA_MAX_SECTORS * ATA_SECTOR);
    KT_ASSERT_EQ(one, S_OK);
    KT_ASSERT(one_ok);
    KT_ASSERT_EQ(four, S_OK);
    KT_ASSERT(four_ok);
    KT_ASSERT_EQ(last, S_OK);
    KT_ASSERT(last_ok);
}

/* Four sectors written in one call read back as written, and their
 * neighbours keep the image's pattern. */
KTEST(disk_writes_then_reads_back)
{
    IBlockDevice *d = disk0();
    KT_ASSERT(d != 0);
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = WRITTEN_BYTE(i);
    SCODE w = d->lpVtbl->WriteBlocks(d, WRITTEN_FIRST, sizeof buf, buf);
    memset(buf, 0, sizeof buf);
    SCODE r = d->lpVtbl->ReadBlocks(d, WRITTEN_FIRST, sizeof buf, buf);
    bool same = true;
    for (unsigned i = 0; i < sizeof buf; i++)
        same = same && buf[i] == WRITTEN_BYTE(i);
    SCODE before = d->lpVtbl->ReadBlocks(d, WRITTEN_FIRST - 1, ATA_SECTOR, buf);
    bool before_ok = holds_pattern(WRITTEN_FIRST - 1, 1);
    SCODE after = d->lpVtbl->ReadBlocks(d, WRITTEN_FIRST + WRITTEN_COUNT, ATA_SECTOR, buf);
    bool after_ok = holds_pattern(WRITTEN_FIRST + WRITTEN_COUNT, 1);
    release(d);
    KT_ASSERT_EQ(w, S_OK);
    KT_ASSERT_EQ(r, S_OK);
    KT_ASSERT(same);
    KT_ASSERT_EQ(before, S_OK);
    KT_ASSERT(before_ok);
    KT_ASSERT_EQ(after, S_OK);
    KT_ASSERT(after_ok);
}

/* Requests beyond the end or of a bad size are refused before the disk
 * sees them; a position with no disk answers BLK_E_NO_DEVICE. */
KTEST(disk_errors_reach_the_caller)
{
    IBlockDevice *d = disk0();
    KT_ASSERT(d != 0);
    SCODE past = d->lpVtbl->ReadBlocks(d, DISK_SECTORS, ATA_SECTOR, buf);
    SCODE across = d->lpVtbl->ReadBlocks(d, DISK_SECTORS - 1, 2 * ATA_SECTOR, buf);
    SCODE far = d->lpVtbl->WriteBlocks(d, 1ull << 40, ATA_SECTOR, buf);
    SCODE partial = d->lpVtbl->ReadBlocks(d, 0, 100, buf);
    SCODE huge = d->lpVtbl->ReadBlocks(d, 0, (ATA_MAX_SECTORS + 1) * ATA_SECTOR, buf);
    release(d);
    KT_ASSERT_EQ(past, BLK_E_OUT_OF_RANGE);
    KT_ASSERT_EQ(across, BLK_E_OUT_OF_RANGE);
    KT_ASSERT_EQ(far, BLK_E_OUT_OF_RANGE);
    KT_ASSERT_EQ(partial, BLK_E_BAD_SIZE);
    KT_ASSERT_EQ(huge, BLK_E_BAD_SIZE);
    /* the secondary channel: a CD-ROM (PC) or nothing (malta), and no slave */
    for (unsigned pos = 2; pos < PIIX_DRIVES; pos++) {
        IBlockDevice *none = piix_drive(pos);
        KT_ASSERT(none != 0);
        BLOCK_INFO info;
        KT_ASSERT_EQ(none->lpVtbl->GetInfo(none, &info), BLK_E_NO_DEVICE);
        KT_ASSERT_EQ(none->lpVtbl->ReadBlocks(none, 0, ATA_SECTOR, buf), BLK_E_NO_DEVICE);
        KT_ASSERT_EQ(none->lpVtbl->WriteBlocks(none, 0, ATA_SECTOR, buf), BLK_E_NO_DEVICE);
    }
    KT_ASSERT(piix_drive(PIIX_DRIVES) == 0);
    void *o;
    KT_ASSERT_EQ(names_lookup("disk2", &IID_IBlockDevice, &o), NAME_E_NOT_FOUND);
}

/* Without an image (every test not named disk_*), there is no disk0. */
KTEST(ide_no_disk_without_an_image)
{
    void *o;
    KT_ASSERT_EQ(names_lookup("disk0", &IID_IBlockDevice, &o), NAME_E_NOT_FOUND);
    IBlockDevice *d = piix_drive(0);
    KT_ASSERT(d != 0);
    KT_ASSERT_EQ(d->lpVtbl->ReadBlocks(d, 0, ATA_SECTOR, buf), BLK_E_NO_DEVICE);
}

/* A controller that never answers: a channel at ports where no device
 * decodes (they read all ones, BSY included) times out, with a short
 * timeout of its own, and the caller gets BLK_E_TIMEOUT. */
KTEST(ide_controller_timeout_reaches_the_caller)
{
    static struct ata_channel dead = {.base = 0x1e8,
                                      .control = 0x3ee,
                                      .irq = 0,
                                      .timeout_ticks = 2,
                                      .lock = MUTEX_INIT("ide dead")};
    static struct ata_drive drive;
    disk_init(&drive, &dead, 0);
    drive.present = true; /* as if IDENTIFY had answered */
    drive.sectors = 100;
    IBlockDevice *d = &drive.object;
    KT_ASSERT_EQ(d->lpVtbl->ReadBlocks(d, 0, ATA_SECTOR, buf), BLK_E_TIMEOUT);
    KT_ASSERT_EQ(d->lpVtbl->WriteBlocks(d, 0, ATA_SECTOR, buf), BLK_E_TIMEOUT);
    KT_ASSERT_EQ(ata_identify(&drive), BLK_E_NO_DEVICE);
}

/* Over three pages, so a DMA transfer takes several PRD entries. */
static uint8_t big[7 * 2 * ATA_SECTOR];

/* Fill big with a pattern of its own for seed. */
static void fill(unsigned seed)
{
    for (unsigned i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i / ATA_SECTOR * 13 + i * seed + seed);
}

static bool filled(unsigned seed)
{
    for (unsigned i = 0; i < sizeof big; i++)
        if (big[i] != (uint8_t)(i / ATA_SECTOR * 13 + i * seed + seed))
            return false;
    return true;
}

/* disk0 moves data by bus-master DMA, and what DMA writes PIO reads back
 * and the other way round (14 sectors: four PRD entries). */
KTEST(disk_dma_and_pio_agree)
{
    IBlockDevice *d = disk0();
    KT_ASSERT(d != 0);
    struct ata_drive *drive = (struct ata_drive *)piix_drive(0);
    bool dma = drive->use_dma;
    unsigned long before = drive->dma_transfers;
    fill(3);
    SCODE w_dma = d->lpVtbl->WriteBlocks(d, 100, sizeof big, big);
    ata_set_dma(drive, false);
    memset(big, 0, sizeof big);
    SCODE r_pio = d->lpVtbl->ReadBlocks(d, 100, sizeof big, big);
    bool pio_saw_dma = filled(3);
    fill(5);
    SCODE w_pio = d->lpVtbl->WriteBlocks(d, 200, sizeof big, big);
    ata_set_dma(drive, true);
    memset(big, 0, sizeof big);
    SCODE r_dma = d->lpVtbl->ReadBlocks(d, 200, sizeof big, big);
    bool dma_saw_pio = filled(5);
    unsigned long transfers = drive->dma_transfers - before;
    release(d);
    KT_ASSERT(dma);
    KT_ASSERT_EQ(w_dma, S_OK);
    KT_ASSERT_EQ(r_pio, S_OK);
    KT_ASSERT(pio_saw_dma);
    KT_ASSERT_EQ(w_pio, S_OK);
    KT_ASSERT_EQ(r_dma, S_OK);
    KT_ASSERT(dma_saw_pio);
    KT_ASSERT_EQ(transfers, 2);
}
