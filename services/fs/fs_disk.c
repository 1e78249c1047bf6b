/* disk0 (idl/IBlockDevice.idl) as the FAT code's block device: requests
 * are split to the smaller of the device's MaxTransfer and
 * FS_MAX_TRANSFER (in a process, each one's buffer travels by copy). */
#include <IBlockDevice.h>
#include <rialto.h>

#include "fs.h"

static IBlockDevice *disk;
static uint32_t chunk_blocks; /* sectors one request moves at most */

static int blocks_io(uint32_t lba, uint32_t count, void *buf, int write)
{
    BYTE *p = buf;
    while (count) {
        uint32_t n = count < chunk_blocks ? count : chunk_blocks;
        SCODE sc = write ? IBlockDevice_WriteBlocks(disk, lba, n * FAT_SECTOR, p)
                         : IBlockDevice_ReadBlocks(disk, lba, n * FAT_SECTOR, p);
        if (FAILED(sc))
            return -1;
        lba += n, count -= n, p += n * FAT_SECTOR;
    }
    return 0;
}

static int disk_read(void *ctx, uint32_t lba, uint32_t count, void *buf)
{
    (void)ctx;
    return blocks_io(lba, count, buf, 0);
}

static int disk_write(void *ctx, uint32_t lba, uint32_t count, const void *buf)
{
    (void)ctx;
    return blocks_io(lba, count, (void *)buf, 1);
}

SCODE fs_disk_open(struct fat_blockdev *dev)
{
    BLOCK_INFO info;
    SCODE sc = INameService_Lookup(NameService(), "disk0", &IID_IBlockDevice, (void **)&disk);
    if (FAILED(sc))
        return sc;
    sc = IBlockDevice_GetInfo(disk, &info);
    if (FAILED(sc))
        return sc;
    if (info.BlockSize != FAT_SECTOR || info.MaxTransfer < FAT_SECTOR)
        return BLK_E_BAD_SIZE;
    uint32_t most = info.MaxTransfer < FS_MAX_TRANSFER ? info.MaxTransfer : FS_MAX_TRANSFER;
    chunk_blocks = most / FAT_SECTOR;
    *dev = (struct fat_blockdev){
        .read_blocks = disk_read,
        .write_blocks = disk_write,
        .block_count = info.BlockCount > 0xffffffffu ? 0xffffffffu : (uint32_t)info.BlockCount,
    };
    return S_OK;
}
