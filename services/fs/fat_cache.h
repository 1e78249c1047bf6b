// A small write-back cache of 512-byte sectors (fat_cache.c).
#ifndef SERVICES_FS_FAT_CACHE_H
#define SERVICES_FS_FAT_CACHE_H

#include <stdint.h>

#include <com/com.h>

#define FAT_SECTOR      512
#define FAT_CACHE_SLOTS 16

// The block device: 512-byte sectors; each call returns 0 on success.
struct fat_blockdev {
    void *ctx;
    int (*read_blocks)(void *ctx, uint32_t lba, uint32_t count, void *buf);
    int (*write_blocks)(void *ctx, uint32_t lba, uint32_t count, const void *buf);
    uint32_t block_count;
};

// What a sector holds decides when it may reach the disk (fat_cache.c).
enum fat_kind { FAT_KIND_FAT, FAT_KIND_DATA, FAT_KIND_DIR, FAT_KINDS };

struct fat_cache_slot {
    uint32_t lba;
    uint32_t used; // the clock when last used; 0: empty
    uint8_t kind;
    uint8_t dirty;
    uint8_t data[FAT_SECTOR];
};

struct fat_cache {
    struct fat_blockdev dev;
    uint32_t fat_lba, fat_sectors, nfats; // FAT sectors are mirrored
    uint32_t clock;
    int poisoned; // corruption seen: drop dirty sectors, never write
    struct fat_cache_slot slot[FAT_CACHE_SLOTS];
};

void fat_cache_init(struct fat_cache *c, const struct fat_blockdev *dev);
// The sector's bytes; with write set, marked dirty as KIND (the caller
// changes them before its next cache call). Fresh: don't read, zero it.
SCODE fat_cache_get(struct fat_cache *c, uint32_t lba, enum fat_kind kind, int write,
                    uint8_t **data);
SCODE fat_cache_fresh(struct fat_cache *c, uint32_t lba, enum fat_kind kind, uint8_t **data);
SCODE fat_cache_flush(struct fat_cache *c);
// Corruption was seen: forget every dirty sector and refuse to write.
void fat_cache_poison(struct fat_cache *c);

#endif
