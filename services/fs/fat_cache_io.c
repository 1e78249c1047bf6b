// The sector cache's disk traffic: write-back in an order that keeps the
// FAT consistent, in runs of consecutive sectors, and reads of runs.
//
// What survives a power cut. A sector write is taken to be atomic; the
// cache writes dirty sectors in three classes, FAT (both copies: copy 1,
// then copy 2, then FSInfo) before file data before directory sectors,
// both at fat_cache_flush and when a dirty sector must leave the cache
// early (it first writes every dirty sector of the classes before its
// own). A run is of one class, so the order holds inside a request too.
// The operations above add the orders the classes cannot express:
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

static int in_fat(const struct fat_cache *c, uint32_t lba)
{
    return lba >= c->fat_lba && lba - c->fat_lba < c->fat_sectors;
}

// The slot at LBA if it is dirty and may share a request with S.
static struct fat_cache_slot *runs_with(struct fat_cache *c, uint32_t lba,
                                        const struct fat_cache_slot *s)
{
    struct fat_cache_slot *n = fat_cache_find(c, lba);
    if (!n || !n->dirty || n->kind != s->kind || in_fat(c, lba) != in_fat(c, s->lba))
        return 0;
    return n;
}

// Writes N bytes at LBA, and for a FAT sector at every FAT copy, copy 1
// first.
static SCODE write_blocks(struct fat_cache *c, uint32_t lba, uint32_t n, const uint8_t *data)
{
    uint32_t copies = in_fat(c, lba) ? c->nfats : 1;
    for (uint32_t i = 0; i < copies; i++) {
        c->stats.writes++;
        c->stats.sectors_written += n;
        if (c->dev.write_blocks(c->dev.ctx, lba + i * c->fat_sectors, n, data))
            return FS_E_IO;
    }
    return S_OK;
}

// Writes the run of dirty sectors around S (at most a run buffer's worth)
// in one request, and marks them clean.
static SCODE write_run(struct fat_cache *c, struct fat_cache_slot *s)
{
    if (c->poisoned)
        return FS_E_POISONED;
    uint32_t first = s->lba, n = 0, max = c->mem.run_sectors;
    while (first > 0 && s->lba - first + 1 < max && runs_with(c, first - 1, s))
        first--;
    struct fat_cache_slot *run[FAT_CACHE_RUN_MAX], *r;
    while (n < max && first + n < c->dev.block_count && (r = runs_with(c, first + n, s)))
        run[n++] = r;
    const uint8_t *data = run[0]->data;
    if (n > 1) {
        for (uint32_t i = 0; i < n; i++)
            memcpy(c->mem.run + i * FAT_SECTOR, run[i]->data, FAT_SECTOR);
        data = c->mem.run;
    }
    SCODE sc = write_blocks(c, first, n, data);
    for (uint32_t i = 0; SUCCEEDED(sc) && i < n; i++)
        fat_cache_clean(c, run[i]);
    return sc;
}

static SCODE write_kind(struct fat_cache *c, unsigned kind)
{
    while (c->dirty[kind]) {
        SCODE sc = write_run(c, c->dirty[kind]);
        if (FAILED(sc))
            return sc;
    }
    return S_OK;
}

SCODE fat_cache_write_out(struct fat_cache *c, struct fat_cache_slot *s)
{
    for (unsigned k = 0; k < s->kind; k++) {
        SCODE sc = write_kind(c, k);
        if (FAILED(sc))
            return sc;
    }
    return write_run(c, s);
}

SCODE fat_cache_flush(struct fat_cache *c)
{
    for (unsigned k = 0; k < FAT_KINDS; k++) {
        SCODE sc = write_kind(c, k);
        if (FAILED(sc))
            return sc;
    }
    return S_OK;
}

// Reads the N sectors at LBA, none of them cached, into the cache.
static void read_run(struct fat_cache *c, uint32_t lba, uint32_t n)
{
    struct fat_cache_slot *run[FAT_CACHE_RUN_MAX];
    for (uint32_t i = 0; i < n; i++)
        if (FAILED(fat_cache_take(c, &run[i])))
            return;
    c->stats.reads++;
    c->stats.sectors_read += n;
    if (c->dev.read_blocks(c->dev.ctx, lba, n, c->mem.run))
        return;
    for (uint32_t i = 0; i < n; i++) {
        memcpy(run[i]->data, c->mem.run + i * FAT_SECTOR, FAT_SECTOR);
        fat_cache_fill(c, run[i], lba + i);
    }
}

void fat_cache_prefetch(struct fat_cache *c, uint32_t lba, uint32_t n)
{
    if (lba >= c->dev.block_count)
        return;
    if (n > c->dev.block_count - lba)
        n = c->dev.block_count - lba;
    for (uint32_t i = 0; i < n;) {
        uint32_t len = 0;
        while (i + len < n && len < c->mem.run_sectors && !fat_cache_find(c, lba + i + len))
            len++;
        if (len > 1)
            read_run(c, lba + i, len);
        i += len ? len : 1;
    }
}
