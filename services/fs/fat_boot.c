// The boot sector's BIOS parameter block: parsed and checked, so that
// every sector and cluster number derived from it stays inside the device.
#include "fat_internal.h"

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return le16(p) | le16(p + 2) << 16;
}

static int power_of_two(uint32_t x)
{
    return x && !(x & (x - 1));
}

// The fields every FAT shares, before the type is known.
static SCODE parse_common(const uint8_t *b, struct fat_geometry *g)
{
    if (b[510] != 0x55 || b[511] != 0xAA || (b[0] != 0xEB && b[0] != 0xE9))
        return FS_E_CORRUPT;
    uint32_t reserved = le16(b + 14);
    g->sectors_per_cluster = b[13];
    g->nfats = b[16];
    g->root_entries = le16(b + 17);
    g->total_sectors = le16(b + 19) ? le16(b + 19) : le32(b + 32);
    g->fat_sectors = le16(b + 22) ? le16(b + 22) : le32(b + 36);
    if (le16(b + 11) != FAT_SECTOR || !power_of_two(g->sectors_per_cluster) ||
        g->sectors_per_cluster > 128 || reserved == 0 || g->nfats == 0 || g->nfats > 4 ||
        g->fat_sectors == 0 || g->fat_sectors > 0x01000000 ||
        g->root_entries % (FAT_SECTOR / FAT_DIRENT))
        return FS_E_CORRUPT;
    g->fat_lba = reserved;
    g->root_lba = reserved + g->nfats * g->fat_sectors;
    g->data_lba = g->root_lba + g->root_entries / (FAT_SECTOR / FAT_DIRENT);
    return S_OK;
}

// FAT32's own fields: the root directory is a chain, FSInfo a sector.
static SCODE parse_fat32(const uint8_t *b, struct fat_geometry *g)
{
    if (g->root_entries || le16(b + 22) || le16(b + 42))
        return FS_E_CORRUPT;
    g->root_cluster = le32(b + 44);
    if (g->root_cluster < 2 || g->root_cluster > g->cluster_count + 1)
        return FS_E_CORRUPT;
    uint32_t fsinfo = le16(b + 48);
    g->fsinfo_lba = fsinfo && fsinfo < g->fat_lba ? fsinfo : 0;
    return S_OK;
}

SCODE fat_parse_boot(const uint8_t *b, uint32_t device_blocks, struct fat_geometry *g)
{
    SCODE sc = parse_common(b, g);
    if (FAILED(sc))
        return sc;
    if (g->total_sectors > device_blocks || g->data_lba >= g->total_sectors)
        return FS_E_CORRUPT;
    g->cluster_count = (g->total_sectors - g->data_lba) / g->sectors_per_cluster;
    g->type = g->cluster_count < 4085 ? 12 : g->cluster_count < 65525 ? 16 : 32;
    g->root_cluster = 0;
    g->fsinfo_lba = 0;
    if (g->type == 32) {
        sc = parse_fat32(b, g);
        if (FAILED(sc))
            return sc;
    } else if (g->root_entries == 0) {
        return FS_E_CORRUPT;
    }
    // every cluster's entry must fit in one FAT copy
    uint64_t fat_bytes = (uint64_t)g->fat_sectors * FAT_SECTOR;
    uint64_t need = (uint64_t)(g->cluster_count + 2) * g->type / 8 + 1;
    return g->cluster_count == 0 || need > fat_bytes ? FS_E_CORRUPT : S_OK;
}
