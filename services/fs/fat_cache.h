// The write-back cache of 512-byte sectors (fat_cache.c, fat_cache_io.c).
#ifndef SERVICES_FS_FAT_CACHE_H
#define SERVICES_FS_FAT_CACHE_H

#include <stdint.h>

#include <com/com.h>

#define FAT_SECTOR        512
#define FAT_CACHE_SMALL   16   // the built-in slots, when no memory is given
#define FAT_CACHE_RUN     4    // the built-in run buffer, in sectors
#define FAT_CACHE_RUN_MAX 128  // the longest run, in sectors (64 KiB)
#define FAT_CACHE_BUCKETS 1024 // a power of two

// The block device: 512-byte sectors; each call returns 0 on success.
struct fat_blockdev {
    void *ctx;
    int (*read_blocks)(void *ctx, uint32_t lba, uint32_t count, void *buf);
    int (*write_blocks)(void *ctx, uint32_t lba, uint32_t count, const void *buf);
    uint32_t block_count;
};

// What a sector holds decides when it may reach the disk (fat_cache_io.c).
enum fat_kind { FAT_KIND_FAT, FAT_KIND_DATA, FAT_KIND_DIR, FAT_KINDS };

struct fat_cache_slot {
    uint32_t lba;
    uint8_t kind, dirty, valid;
    struct fat_cache_slot *hnext;         // the hash bucket's chain
    struct fat_cache_slot *older, *newer; // the LRU list
    struct fat_cache_slot *dprev, *dnext; // the dirty list of its kind
    uint8_t data[FAT_SECTOR];
};

// Memory for a bigger cache than the built-in one: NSLOTS slots, and a
// buffer of RUN sectors through which runs of consecutive sectors move in
// one device request (NSLOTS >= 2 * RUN; RUN <= FAT_CACHE_RUN_MAX).
struct fat_cache_mem {
    struct fat_cache_slot *slots;
    uint32_t nslots;
    uint8_t *run;
    uint32_t run_sectors;
};

// Device requests and cache lookups, for tests and reports.
struct fat_cache_stats {
    uint32_t hits, misses;
    uint32_t reads, writes;                 // device requests
    uint32_t sectors_read, sectors_written; // what they moved
};

struct fat_cache {
    struct fat_blockdev dev;
    uint32_t fat_lba, fat_sectors, nfats; // FAT sectors are mirrored
    int poisoned;                         // corruption seen: drop dirty sectors, never write
    struct fat_cache_mem mem;
    struct fat_cache_slot *bucket[FAT_CACHE_BUCKETS];
    struct fat_cache_slot *newest, *oldest;
    struct fat_cache_slot *dirty[FAT_KINDS];
    struct fat_cache_stats stats;
    struct fat_cache_slot small[FAT_CACHE_SMALL];
    uint8_t small_run[FAT_CACHE_RUN * FAT_SECTOR];
};

// MEM NULL: the built-in 16 slots.
void fat_cache_init(struct fat_cache *c, const struct fat_blockdev *dev,
                    const struct fat_cache_mem *mem);
// The sector's bytes; with write set, marked dirty as KIND (the caller
// changes them before its next cache call). Fresh: don't read, zero it.
SCODE fat_cache_get(struct fat_cache *c, uint32_t lba, enum fat_kind kind, int write,
                    uint8_t **data);
SCODE fat_cache_fresh(struct fat_cache *c, uint32_t lba, enum fat_kind kind, uint8_t **data);
// The sector's bytes if it is in the cache (to read), else NULL.
uint8_t *fat_cache_lookup(struct fat_cache *c, uint32_t lba);
// Reads the sectors of [LBA, LBA + N) not in the cache, in runs (a hint:
// a failure is left for fat_cache_get to report).
void fat_cache_prefetch(struct fat_cache *c, uint32_t lba, uint32_t n);
SCODE fat_cache_flush(struct fat_cache *c);
// Corruption was seen: forget every dirty sector and refuse to write.
void fat_cache_poison(struct fat_cache *c);

// fat_cache.c for fat_cache_io.c: the slot holding LBA or NULL; a slot
// to reuse, written first if dirty, out of the hash and newest in the
// LRU; a slot clean and filed under LBA; a slot clean.
struct fat_cache_slot *fat_cache_find(struct fat_cache *c, uint32_t lba);
SCODE fat_cache_take(struct fat_cache *c, struct fat_cache_slot **out);
void fat_cache_fill(struct fat_cache *c, struct fat_cache_slot *s, uint32_t lba);
void fat_cache_clean(struct fat_cache *c, struct fat_cache_slot *s);
// fat_cache_io.c for fat_cache.c: writes S's run, and first every dirty
// sector of the kinds that must reach the disk before it.
SCODE fat_cache_write_out(struct fat_cache *c, struct fat_cache_slot *s);

#endif
