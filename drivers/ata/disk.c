/* IBlockDevice (idl/IBlockDevice.idl) over an ATA drive: requests are
 * checked here (a drive that is not there, a size that is not whole
 * blocks, blocks beyond the end) before ata.c moves any data. The
 * objects are static, like the drives: references are not counted. */
#include "ata.h"
#include "piix.h"

static SCODE disk_query(IBlockDevice *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_IBlockDevice)) {
        *ppv = 0;
        return E_NOINTERFACE;
    }
    *ppv = This;
    return S_OK;
}

static SCODE disk_addref(IBlockDevice *This)
{
    (void)This;
    return S_OK;
}

/* S_OK when [first, first + size) is whole blocks of d, at most one
 * transfer's worth, all on the disk. */
static SCODE check_request(const struct ata_drive *d, uint64_t first, uint32_t size)
{
    if (!d->present)
        return BLK_E_NO_DEVICE;
    if (size % ATA_SECTOR || size > ATA_MAX_SECTORS * ATA_SECTOR)
        return BLK_E_BAD_SIZE;
    if (first >= d->sectors || size / ATA_SECTOR > d->sectors - first)
        return BLK_E_OUT_OF_RANGE;
    return S_OK;
}

static SCODE disk_read(IBlockDevice *This, uint64_t First, uint32_t Size, BYTE *pBuffer)
{
    struct ata_drive *d = (struct ata_drive *)This;
    SCODE sc = check_request(d, First, Size);
    if (FAILED(sc) || Size == 0)
        return sc;
    return ata_read(d, (uint32_t)First, Size / ATA_SECTOR, pBuffer);
}

static SCODE disk_write(IBlockDevice *This, uint64_t First, uint32_t Size, const BYTE *pBuffer)
{
    struct ata_drive *d = (struct ata_drive *)This;
    SCODE sc = check_request(d, First, Size);
    if (FAILED(sc) || Size == 0)
        return sc;
    return ata_write(d, (uint32_t)First, Size / ATA_SECTOR, pBuffer);
}

static SCODE disk_get_info(IBlockDevice *This, BLOCK_INFO *pInfo)
{
    struct ata_drive *d = (struct ata_drive *)This;
    if (!d->present)
        return BLK_E_NO_DEVICE;
    *pInfo = (BLOCK_INFO){.BlockSize = ATA_SECTOR,
                          .MaxTransfer = ATA_MAX_SECTORS * ATA_SECTOR,
                          .BlockCount = d->sectors};
    return S_OK;
}

static const struct IBlockDeviceVtbl vtbl = {disk_query, disk_addref, disk_addref,
                                             disk_read,  disk_write,  disk_get_info};

void disk_init(struct ata_drive *d, struct ata_channel *c, unsigned unit)
{
    *d = (struct ata_drive){.object = {&vtbl}, .channel = c, .unit = unit};
}
