// The sector cache's slots: a hash by sector number, an LRU list, and a
// dirty list per kind (what may go to the disk when is fat_cache_io.c's).
// Lookups cost a bucket's chain, so a cache of megabytes is as cheap to
// search as the built-in 16 slots.
#include "fat_cache.h"

#include <string.h>

#include <IFile.h>

static struct fat_cache_slot **bucket_of(struct fat_cache *c, uint32_t lba)
{
    return &c->bucket[lba & (FAT_CACHE_BUCKETS - 1)];
}

static void lru_unlink(struct fat_cache *c, struct fat_cache_slot *s)
{
    *(s->older ? &s->older->newer : &c->oldest) = s->newer;
    *(s->newer ? &s->newer->older : &c->newest) = s->older;
}

static void lru_push_newest(struct fat_cache *c, struct fat_cache_slot *s)
{
    s->older = c->newest;
    s->newer = 0;
    *(c->newest ? &c->newest->newer : &c->oldest) = s;
    c->newest = s;
}

void fat_cache_init(struct fat_cache *c, const struct fat_blockdev *dev,
                    const struct fat_cache_mem *mem)
{
    memset(c, 0, sizeof *c);
    c->dev = *dev;
    c->mem = (struct fat_cache_mem){c->small, FAT_CACHE_SMALL, c->small_run, FAT_CACHE_RUN};
    if (mem && mem->run_sectors <= FAT_CACHE_RUN_MAX && mem->nslots >= 2 * mem->run_sectors)
        c->mem = *mem;
    for (uint32_t i = 0; i < c->mem.nslots; i++) {
        c->mem.slots[i].valid = c->mem.slots[i].dirty = 0;
        lru_push_newest(c, &c->mem.slots[i]);
    }
}

struct fat_cache_slot *fat_cache_find(struct fat_cache *c, uint32_t lba)
{
    struct fat_cache_slot *s = *bucket_of(c, lba);
    while (s && s->lba != lba)
        s = s->hnext;
    return s;
}

static void unhash(struct fat_cache *c, struct fat_cache_slot *s)
{
    struct fat_cache_slot **p = bucket_of(c, s->lba);
    while (*p != s)
        p = &(*p)->hnext;
    *p = s->hnext;
    s->valid = 0;
}

void fat_cache_clean(struct fat_cache *c, struct fat_cache_slot *s)
{
    if (!s->dirty)
        return;
    *(s->dprev ? &s->dprev->dnext : &c->dirty[s->kind]) = s->dnext;
    if (s->dnext)
        s->dnext->dprev = s->dprev;
    s->dirty = 0;
}

// A sector dirty as two kinds keeps the earlier one: writing it sooner is
// safe (a new directory's cluster, still data, gaining entries).
static void mark(struct fat_cache *c, struct fat_cache_slot *s, enum fat_kind kind)
{
    if (s->dirty && s->kind <= kind)
        return;
    fat_cache_clean(c, s);
    s->kind = (uint8_t)kind;
    s->dirty = 1;
    s->dprev = 0;
    s->dnext = c->dirty[kind];
    if (s->dnext)
        s->dnext->dprev = s;
    c->dirty[kind] = s;
}

SCODE fat_cache_take(struct fat_cache *c, struct fat_cache_slot **out)
{
    struct fat_cache_slot *s = c->oldest;
    if (s->dirty) {
        SCODE sc = fat_cache_write_out(c, s);
        if (FAILED(sc))
            return sc;
    }
    if (s->valid)
        unhash(c, s);
    lru_unlink(c, s);
    lru_push_newest(c, s);
    *out = s;
    return S_OK;
}

void fat_cache_fill(struct fat_cache *c, struct fat_cache_slot *s, uint32_t lba)
{
    struct fat_cache_slot **b = bucket_of(c, lba);
    s->lba = lba;
    s->valid = 1;
    s->kind = FAT_KIND_DATA;
    s->hnext = *b;
    *b = s;
}

static struct fat_cache_slot *hit(struct fat_cache *c, uint32_t lba)
{
    struct fat_cache_slot *s = fat_cache_find(c, lba);
    if (s) {
        c->stats.hits++;
        lru_unlink(c, s);
        lru_push_newest(c, s);
    }
    return s;
}

uint8_t *fat_cache_lookup(struct fat_cache *c, uint32_t lba)
{
    struct fat_cache_slot *s = hit(c, lba);
    return s ? s->data : 0;
}

static SCODE slot_for(struct fat_cache *c, uint32_t lba, int read, struct fat_cache_slot **out)
{
    if (lba >= c->dev.block_count)
        return FS_E_CORRUPT;
    struct fat_cache_slot *s = hit(c, lba);
    if (s) {
        *out = s;
        return S_OK;
    }
    c->stats.misses++;
    SCODE sc = fat_cache_take(c, &s);
    if (FAILED(sc))
        return sc;
    if (read) {
        c->stats.reads++;
        c->stats.sectors_read++;
        if (c->dev.read_blocks(c->dev.ctx, lba, 1, s->data))
            return FS_E_IO;
    }
    fat_cache_fill(c, s, lba);
    *out = s;
    return S_OK;
}

SCODE fat_cache_get(struct fat_cache *c, uint32_t lba, enum fat_kind kind, int write,
                    uint8_t **data)
{
    struct fat_cache_slot *s;
    SCODE sc = slot_for(c, lba, 1, &s);
    if (FAILED(sc))
        return sc;
    if (write)
        mark(c, s, kind);
    *data = s->data;
    return S_OK;
}

SCODE fat_cache_fresh(struct fat_cache *c, uint32_t lba, enum fat_kind kind, uint8_t **data)
{
    struct fat_cache_slot *s;
    SCODE sc = slot_for(c, lba, 0, &s);
    if (FAILED(sc))
        return sc;
    memset(s->data, 0, FAT_SECTOR);
    mark(c, s, kind);
    *data = s->data;
    return S_OK;
}

void fat_cache_poison(struct fat_cache *c)
{
    c->poisoned = 1;
    for (unsigned k = 0; k < FAT_KINDS; k++)
        while (c->dirty[k])
            fat_cache_clean(c, c->dirty[k]);
}
