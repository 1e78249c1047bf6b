/* The file system service (services/fs): mounts the FAT volume of "disk0"
 * and registers IFileSystem as "fs". The same binary runs in the kernel
 * or in a process (component); with no disk0 it says so and returns 0,
 * and the boot goes on without waiting for it. */
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>

#include "fs.h"

struct fat_volume fs_volume;

/* The sector cache: 2 MiB, so a file of a megabyte read twice is read
 * from the disk once; runs of FS_MAX_TRANSFER, one request each. */
#define FS_CACHE_SECTORS 4096

static SCODE mount(const struct fat_blockdev *dev)
{
    static struct fat_cache_mem mem;
    mem.slots = malloc(FS_CACHE_SECTORS * sizeof *mem.slots);
    mem.run = malloc(FS_MAX_TRANSFER);
    if (!mem.slots || !mem.run)
        return E_OUTOFMEMORY;
    mem.nslots = FS_CACHE_SECTORS;
    mem.run_sectors = FS_MAX_TRANSFER / FAT_SECTOR;
    return fat_mount_cached(&fs_volume, dev, &mem);
}
static struct rt_lock volume_lock;

void fs_lock(void)
{
    rt_lock(&volume_lock);
}

void fs_unlock(void)
{
    rt_unlock(&volume_lock);
}

/* Write-back at a timeout: what was written and not flushed reaches the
 * disk within FS_WRITEBACK_MS (plus the flush's own time), so a power
 * cut loses at most that much. The FAT and directory sectors go in the
 * cache's order, as at any flush. */
#define FS_WRITEBACK_MS 2000

static int writeback_thread(void *arg)
{
    (void)arg;
    for (;;) {
        IProcess_Sleep(CurrentProcess(), FS_WRITEBACK_MS);
        fs_lock();
        if (fat_dirty(&fs_volume))
            fat_flush(&fs_volume); /* a failure stays for the next Flush to report */
        fs_unlock();
    }
    return 0;
}

int main(void)
{
    static struct fat_blockdev dev;
    SCODE sc = fs_disk_open(&dev);
    if (sc == NAME_E_NOT_FOUND) {
        printf("fs: no disk0, no file system\n");
        return 0;
    }
    if (SUCCEEDED(sc))
        sc = ServerPool(4, 1000, 0);
    if (SUCCEEDED(sc))
        sc = mount(&dev);
    if (SUCCEEDED(sc) && !CreateThread(writeback_thread, 0))
        sc = E_OUTOFMEMORY;
    if (SUCCEEDED(sc))
        sc = INameService_Register(NameService(), "fs", (IUnknown *)fs_system());
    if (FAILED(sc)) {
        printf("fs: cannot serve disk0 (%#x)\n", (unsigned)sc);
        return 1;
    }
    RunService();
}
