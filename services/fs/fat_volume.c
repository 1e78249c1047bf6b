// Mounting, flushing and the volume-wide helpers.
#include "fat_internal.h"

#define FSINFO_LEAD   0x41615252u
#define FSINFO_STRUCT 0x61417272u
#define FREE_UNKNOWN  0xFFFFFFFFu

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

SCODE fat_corrupt(struct fat_volume *vol)
{
    fat_cache_poison(&vol->cache);
    return FS_E_CORRUPT;
}

uint32_t fat_cluster_bytes(const struct fat_volume *vol)
{
    return vol->geo.sectors_per_cluster * FAT_SECTOR;
}

// Cluster 2 is the first in the data region.
uint32_t fat_cluster_lba(const struct fat_volume *vol, uint32_t cluster)
{
    return vol->geo.data_lba + (cluster - 2) * vol->geo.sectors_per_cluster;
}

void fat_now(const struct fat_volume *vol, uint16_t *date, uint16_t *time)
{
    *date = vol->dos_date ? vol->dos_date() : (uint16_t)((0 << 9) | (1 << 5) | 1);
    *time = 0;
}

// FAT32's FSInfo: the free count and where to look for free clusters,
// hints that are trusted only when in range.
static SCODE read_fsinfo(struct fat_volume *vol)
{
    vol->free_count = FREE_UNKNOWN;
    vol->next_free = 2;
    if (!vol->geo.fsinfo_lba)
        return S_OK;
    uint8_t *b;
    SCODE sc = fat_cache_get(&vol->cache, vol->geo.fsinfo_lba, FAT_KIND_FAT, 0, &b);
    if (FAILED(sc))
        return sc;
    if (le32(b) != FSINFO_LEAD || le32(b + 484) != FSINFO_STRUCT) {
        vol->geo.fsinfo_lba = 0;
        return S_OK;
    }
    if (le32(b + 488) <= vol->geo.cluster_count)
        vol->free_count = le32(b + 488);
    uint32_t next = le32(b + 492);
    if (next >= 2 && next <= vol->geo.cluster_count + 1)
        vol->next_free = next;
    return S_OK;
}

SCODE fat_mount(struct fat_volume *vol, const struct fat_blockdev *dev)
{
    return fat_mount_cached(vol, dev, 0);
}

SCODE fat_mount_cached(struct fat_volume *vol, const struct fat_blockdev *dev,
                       const struct fat_cache_mem *mem)
{
    uint8_t *b;
    fat_cache_init(&vol->cache, dev, mem);
    vol->dos_date = 0;
    vol->fsinfo_dirty = 0;
    vol->free_counted = 0;
    SCODE sc = fat_cache_get(&vol->cache, 0, FAT_KIND_DATA, 0, &b);
    if (FAILED(sc))
        return sc;
    sc = fat_parse_boot(b, dev->block_count, &vol->geo);
    if (FAILED(sc))
        return fat_corrupt(vol);
    vol->cache.fat_lba = vol->geo.fat_lba;
    vol->cache.fat_sectors = vol->geo.fat_sectors;
    vol->cache.nfats = vol->geo.nfats;
    return read_fsinfo(vol);
}

static SCODE write_fsinfo(struct fat_volume *vol)
{
    uint8_t *b;
    SCODE sc = fat_cache_get(&vol->cache, vol->geo.fsinfo_lba, FAT_KIND_FAT, 1, &b);
    if (FAILED(sc))
        return sc;
    put32(b + 488, vol->free_count);
    put32(b + 492, vol->next_free);
    vol->fsinfo_dirty = 0;
    return S_OK;
}

SCODE fat_flush(struct fat_volume *vol)
{
    if (vol->cache.poisoned)
        return FS_E_POISONED;
    if (vol->fsinfo_dirty && vol->geo.fsinfo_lba) {
        SCODE sc = write_fsinfo(vol);
        if (FAILED(sc))
            return sc;
    }
    return fat_cache_flush(&vol->cache);
}

int fat_dirty(const struct fat_volume *vol)
{
    const struct fat_cache *c = &vol->cache;
    return (vol->fsinfo_dirty && vol->geo.fsinfo_lba) || c->dirty[FAT_KIND_FAT] ||
           c->dirty[FAT_KIND_DATA] || c->dirty[FAT_KIND_DIR];
}

SCODE fat_unmount(struct fat_volume *vol)
{
    return fat_flush(vol);
}
