// The sector cache, write-back on flush, in an order that keeps the FAT
// consistent.
//
// What survives a power cut. A sector write is taken to be atomic; the
// cache writes dirty sectors in three classes, FAT (both copies: copy 1,
// then copy 2, then FSInfo) before file data before directory sectors,
// both at fat_cache_flush and when a dirty directory sector must leave the
// cache early (it first writes every dirty FAT and data sector). The
// operations above add the orders the classes cannot express:
//   - growing: clusters are marked in the FAT before any directory entry
//     names them, so a cut leaves at worst lost clusters or a chain longer
//     than the size says (fsck.fat reclaims or trims them), never a
//     directory entry pointing at free clusters;
//   - a directory's new cluster is zeroed and written before the FAT
//     links it into the directory, so no garbage entries appear;
//   - shrinking and removing: the directory entry is written (flush)
//     before the FAT frees the clusters, so a cut leaves lost clusters,
//     never an entry pointing at free (or reused) clusters;
//   - rename and moves: the old entry is deleted and flushed before the
//     new one is written; a cut between leaves the chain lost (fsck.fat
//     recovers it as a FSCK*.REC file), never two entries sharing it.
//   - a new entry with its long name goes in one sector (names up to 195
//     bytes), so it appears, goes or moves whole.
// Not atomic: a FAT change spanning two sectors, the two FAT copies (a cut
// between copy 1 and copy 2 leaves them differing: fsck.fat takes copy 1),
// a long name over 195 bytes or one another tool wrote across two sectors
// (orphan long-name entries), and the FSInfo free count (a hint; fsck.fat
// recounts). Data written since the last flush is lost; data overwritten
// in place may be half old, half new, by sector. test/fs/powercut.c cuts
// a scenario after every sector it writes and holds fsck.fat to this.
#include "fat_cache.h"

#include <string.h>

#include <IFile.h>

void fat_cache_init(struct fat_cache *c, const struct fat_blockdev *dev)
{
    memset(c, 0, sizeof *c);
    c->dev = *dev;
}

static int is_fat_sector(const struct fat_cache *c, uint32_t lba)
{
    return lba >= c->fat_lba && lba - c->fat_lba < c->fat_sectors;
}

// Writes one dirty slot: a FAT sector to every FAT copy, copy 1 first.
static SCODE write_slot(struct fat_cache *c, struct fat_cache_slot *s)
{
    if (c->poisoned)
        return FS_E_POISONED;
    uint32_t copies = is_fat_sector(c, s->lba) ? c->nfats : 1;
    for (uint32_t i = 0; i < copies; i++)
        if (c->dev.write_blocks(c->dev.ctx, s->lba + i * c->fat_sectors, 1, s->data))
            return FS_E_IO;
    s->dirty = 0;
    return S_OK;
}

// Writes every dirty slot of the kinds below LIMIT, FAT first.
static SCODE write_kinds_below(struct fat_cache *c, unsigned limit)
{
    for (unsigned k = 0; k < limit; k++)
        for (unsigned i = 0; i < FAT_CACHE_SLOTS; i++) {
            struct fat_cache_slot *s = &c->slot[i];
            if (s->used && s->dirty && s->kind == k) {
                SCODE sc = write_slot(c, s);
                if (FAILED(sc))
                    return sc;
            }
        }
    return S_OK;
}

SCODE fat_cache_flush(struct fat_cache *c)
{
    return write_kinds_below(c, FAT_KINDS);
}

// Frees the least recently used slot; a dirty directory sector goes out
// only after every dirty FAT and data sector.
static SCODE evict(struct fat_cache *c, struct fat_cache_slot **out)
{
    struct fat_cache_slot *victim = &c->slot[0];
    for (unsigned i = 0; i < FAT_CACHE_SLOTS; i++) {
        if (!c->slot[i].used) {
            *out = &c->slot[i];
            return S_OK;
        }
        if (c->slot[i].used < victim->used)
            victim = &c->slot[i];
    }
    if (victim->dirty) {
        SCODE sc = write_kinds_below(c, victim->kind);
        if (SUCCEEDED(sc))
            sc = write_slot(c, victim);
        if (FAILED(sc))
            return sc;
    }
    victim->used = 0;
    *out = victim;
    return S_OK;
}

static struct fat_cache_slot *find(struct fat_cache *c, uint32_t lba)
{
    for (unsigned i = 0; i < FAT_CACHE_SLOTS; i++)
        if (c->slot[i].used && c->slot[i].lba == lba)
            return &c->slot[i];
    return 0;
}

static SCODE slot_for(struct fat_cache *c, uint32_t lba, int read, struct fat_cache_slot **out)
{
    if (lba >= c->dev.block_count)
        return FS_E_CORRUPT;
    struct fat_cache_slot *s = find(c, lba);
    if (!s) {
        SCODE sc = evict(c, &s);
        if (FAILED(sc))
            return sc;
        if (read && c->dev.read_blocks(c->dev.ctx, lba, 1, s->data))
            return FS_E_IO;
        s->lba = lba;
        s->dirty = 0;
        s->kind = FAT_KIND_DATA;
    }
    s->used = ++c->clock;
    *out = s;
    return S_OK;
}

// A sector dirty as two kinds keeps the earlier one: writing it sooner is
// safe (a new directory's cluster, still data, gaining entries).
static void mark(struct fat_cache_slot *s, enum fat_kind kind)
{
    if (!s->dirty || kind < s->kind)
        s->kind = (uint8_t)kind;
    s->dirty = 1;
}

SCODE fat_cache_get(struct fat_cache *c, uint32_t lba, enum fat_kind kind, int write,
                    uint8_t **data)
{
    struct fat_cache_slot *s;
    SCODE sc = slot_for(c, lba, 1, &s);
    if (FAILED(sc))
        return sc;
    if (write)
        mark(s, kind);
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
    mark(s, kind);
    *data = s->data;
    return S_OK;
}

void fat_cache_poison(struct fat_cache *c)
{
    c->poisoned = 1;
    for (unsigned i = 0; i < FAT_CACHE_SLOTS; i++)
        c->slot[i].dirty = 0;
}
