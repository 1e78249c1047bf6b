/* test_disk: the IDE driver's "disk0" (IBlockDevice) from a process, its
 * calls going through the kernel-call path with their buffers; run by
 * the guest test disk_from_a_process (test/drivers/guest/disk_process.c)
 * with the harness's image, every word of sector s 0x5ec00000 | s. */
#include <IBlockDevice.h>
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utest.h>

#define SECTOR 512u

static int holds_pattern(const BYTE *buf, uint32_t first, uint32_t count)
{
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t i = 0; i < SECTOR; i += 4) {
            uint32_t w;
            memcpy(&w, buf + s * SECTOR + i, 4);
            if (w != (0x5ec00000u | (first + s)))
                return 0;
        }
    return 1;
}

static void reads_and_writes(IBlockDevice *d, const BLOCK_INFO *info)
{
    BYTE *buf = malloc(info->MaxTransfer);
    CHECK(buf != NULL, "a buffer");
    CHECK_EQ(IBlockDevice_ReadBlocks(d, 7, SECTOR, buf), S_OK);
    CHECK(holds_pattern(buf, 7, 1), "sector 7 as the image has it");
    uint32_t most = info->MaxTransfer / SECTOR;
    CHECK_EQ(IBlockDevice_ReadBlocks(d, 1024, info->MaxTransfer, buf), S_OK);
    CHECK(holds_pattern(buf, 1024, most), "the largest transfer");
    for (uint32_t i = 0; i < 2 * SECTOR; i++)
        buf[i] = (BYTE)(i ^ 0x5a);
    CHECK_EQ(IBlockDevice_WriteBlocks(d, 300, 2 * SECTOR, buf), S_OK);
    memset(buf, 0, 2 * SECTOR);
    CHECK_EQ(IBlockDevice_ReadBlocks(d, 300, 2 * SECTOR, buf), S_OK);
    int same = 1;
    for (uint32_t i = 0; i < 2 * SECTOR; i++)
        same = same && buf[i] == (BYTE)(i ^ 0x5a);
    CHECK(same, "what was written reads back");
    free(buf);
}

static void errors(IBlockDevice *d, const BLOCK_INFO *info)
{
    BYTE buf[SECTOR];
    CHECK_EQ(IBlockDevice_ReadBlocks(d, info->BlockCount, SECTOR, buf), BLK_E_OUT_OF_RANGE);
    CHECK_EQ(IBlockDevice_WriteBlocks(d, info->BlockCount - 1, 2 * SECTOR, buf),
             BLK_E_OUT_OF_RANGE);
    CHECK_EQ(IBlockDevice_ReadBlocks(d, 0, SECTOR - 1, buf), BLK_E_BAD_SIZE);
    IBlockDevice *none;
    CHECK_EQ(INameService_Lookup(NameService(), "disk2", &IID_IBlockDevice, (void **)&none),
             NAME_E_NOT_FOUND);
}

int main(void)
{
    IBlockDevice *d = NULL;
    CHECK_EQ(INameService_Lookup(NameService(), "disk0", &IID_IBlockDevice, (void **)&d), S_OK);
    if (!d)
        return 99;
    BLOCK_INFO info;
    CHECK_EQ(IBlockDevice_GetInfo(d, &info), S_OK);
    CHECK_EQ(info.BlockSize, SECTOR);
    CHECK_EQ((uint32_t)info.BlockCount, 2048);
    reads_and_writes(d, &info);
    errors(d, &info);
    IBlockDevice_Release(d);
    printf("test_disk: %d failures\n", utest_failures);
    return utest_failures;
}
