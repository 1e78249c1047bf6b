// Files: open (create, truncate), read, write, seek, set size. FAT has no
// holes: writing past the end, or growing, writes zeros in between.
#include "fat_internal.h"

#include <string.h>

#define FAT_FILE_MAX 0xFFFFFFFFull

// The chain's length and last cluster, checked against the size.
static SCODE load_chain(struct fat_file *f)
{
    SCODE sc = fat_check_chain(f->vol, &f->ent);
    f->nclusters = 0;
    f->last = 0;
    f->cur_cluster = 0;
    if (FAILED(sc) || !f->ent.first)
        return sc;
    sc = fat_chain_length(f->vol, f->ent.first, &f->nclusters);
    if (SUCCEEDED(sc))
        sc = fat_walk(f->vol, f->ent.first, f->nclusters - 1, &f->last);
    return sc;
}

static SCODE create(struct fat_volume *vol, const char *path, struct fat_entry *out)
{
    uint32_t dir, len;
    const char *name;
    struct fat_entry model;
    SCODE sc = fat_lookup_parent(vol, path, &dir, &name, &len);
    if (FAILED(sc))
        return sc;
    memset(&model, 0, sizeof model);
    model.attr = FAT_ATTR_ARCHIVE;
    fat_now(vol, &model.mdate, &model.mtime);
    return fat_dir_add(vol, dir, name, len, &model, out);
}

SCODE fat_open(struct fat_volume *vol, const char *path, uint32_t flags, struct fat_file *f)
{
    if ((flags & (FAT_O_CREATE | FAT_O_TRUNCATE)) && !(flags & FAT_O_WRITE))
        return FS_E_ACCESS;
    memset(f, 0, sizeof *f);
    f->vol = vol;
    f->flags = flags;
    SCODE sc = fat_lookup(vol, path, &f->ent);
    if (sc == FS_E_NOT_FOUND && (flags & FAT_O_CREATE))
        return create(vol, path, &f->ent);
    if (FAILED(sc))
        return sc;
    if (f->ent.attr & FAT_ATTR_DIR)
        return FS_E_IS_DIR;
    if ((flags & FAT_O_WRITE) && (f->ent.attr & FAT_ATTR_READ_ONLY))
        return FS_E_ACCESS;
    sc = load_chain(f);
    if (SUCCEEDED(sc) && (flags & FAT_O_TRUNCATE))
        sc = fat_set_size(f, 0);
    return sc;
}

// The cluster at INDEX of the chain, walking on from the last one found.
static SCODE cluster_at(struct fat_file *f, uint32_t index, uint32_t *out)
{
    if (!f->cur_cluster || f->cur_index > index) {
        f->cur_cluster = f->ent.first;
        f->cur_index = 0;
    }
    SCODE sc = fat_walk(f->vol, f->cur_cluster, index - f->cur_index, &f->cur_cluster);
    if (FAILED(sc)) {
        f->cur_cluster = 0;
        return sc;
    }
    f->cur_index = index;
    *out = f->cur_cluster;
    return S_OK;
}

// The sector holding byte POS of the file.
static SCODE sector_of(struct fat_file *f, uint32_t pos, uint32_t *lba)
{
    uint32_t cb = fat_cluster_bytes(f->vol), c;
    SCODE sc = cluster_at(f, pos / cb, &c);
    if (SUCCEEDED(sc))
        *lba = fat_cluster_lba(f->vol, c) + pos % cb / FAT_SECTOR;
    return sc;
}

// How many sectors from POS's on lie one after another on the disk, up to
// MAX: read-ahead follows the chain while its clusters are adjacent.
static uint32_t run_from(struct fat_file *f, uint32_t pos, uint32_t max)
{
    uint32_t cb = fat_cluster_bytes(f->vol), spc = cb / FAT_SECTOR, c, next;
    uint32_t n = spc - pos % cb / FAT_SECTOR;
    if (FAILED(cluster_at(f, pos / cb, &c)))
        return 0;
    while (n < max && SUCCEEDED(fat_next(f->vol, c, &next)) && next == c + 1) {
        c = next;
        n += spc;
    }
    return n < max ? n : max;
}

// A sector not in the cache starts a run: its sectors up to a run
// buffer's worth, and no further than the file's end, are read in one go.
static void read_ahead(struct fat_file *f, uint32_t pos, uint32_t lba)
{
    struct fat_cache *c = &f->vol->cache;
    uint32_t left = (f->ent.size - pos + FAT_SECTOR - 1) / FAT_SECTOR;
    uint32_t max = left < c->mem.run_sectors ? left : c->mem.run_sectors;
    fat_cache_prefetch(c, lba, run_from(f, pos, max));
}

// Copies N bytes from the file at POS, all inside one cluster whose
// sector LBA holds POS, a sector at a time.
static SCODE copy_out(struct fat_file *f, uint32_t pos, uint32_t lba, uint8_t *out, uint32_t n)
{
    struct fat_cache *c = &f->vol->cache;
    for (uint32_t done = 0; done < n; lba++) {
        uint32_t off = (pos + done) % FAT_SECTOR, chunk = FAT_SECTOR - off;
        uint8_t *b = fat_cache_lookup(c, lba);
        if (!b) {
            read_ahead(f, pos + done, lba);
            SCODE sc = fat_cache_get(c, lba, FAT_KIND_DATA, 0, &b);
            if (FAILED(sc))
                return sc;
        }
        if (chunk > n - done)
            chunk = n - done;
        memcpy(out + done, b + off, chunk);
        done += chunk;
    }
    return S_OK;
}

SCODE fat_read(struct fat_file *f, void *buf, uint32_t n, uint32_t *got)
{
    uint32_t cb = fat_cluster_bytes(f->vol);
    *got = 0;
    if (f->pos >= f->ent.size)
        return S_OK;
    if (n > f->ent.size - f->pos)
        n = f->ent.size - f->pos;
    while (*got < n) {
        uint32_t chunk = cb - f->pos % cb, lba;
        if (chunk > n - *got)
            chunk = n - *got;
        SCODE sc = sector_of(f, f->pos, &lba);
        if (SUCCEEDED(sc))
            sc = copy_out(f, f->pos, lba, (uint8_t *)buf + *got, chunk);
        if (FAILED(sc))
            return sc;
        *got += chunk;
        f->pos += chunk;
    }
    return S_OK;
}

// The file's directory entry, unless the file has none any more.
static SCODE store(struct fat_file *f)
{
    return f->detached ? S_OK : fat_entry_store(f->vol, &f->ent);
}

// Grows the chain to hold END bytes; *CAP is what it holds after, less
// than END when the disk is full.
static SCODE reserve(struct fat_file *f, uint64_t end, uint64_t *cap)
{
    uint64_t cb = fat_cluster_bytes(f->vol);
    SCODE sc = S_OK;
    while (SUCCEEDED(sc) && f->nclusters * cb < end) {
        uint32_t c;
        sc = fat_alloc(f->vol, f->last, &c);
        if (FAILED(sc))
            break;
        if (!f->ent.first)
            f->ent.first = c;
        f->last = c;
        f->nclusters++;
    }
    *cap = f->nclusters * cb;
    return sc;
}

// Copies N bytes from SRC (zeros if SRC is NULL) to the file at AT,
// inside its chain.
static SCODE copy_in(struct fat_file *f, uint32_t at, const uint8_t *src, uint32_t n)
{
    for (uint32_t done = 0; done < n;) {
        uint32_t off = (at + done) % FAT_SECTOR, chunk = FAT_SECTOR - off, lba;
        uint8_t *b;
        if (chunk > n - done)
            chunk = n - done;
        SCODE sc = sector_of(f, at + done, &lba);
        if (SUCCEEDED(sc) && chunk == FAT_SECTOR)
            sc = fat_cache_fresh(&f->vol->cache, lba, FAT_KIND_DATA, &b);
        else if (SUCCEEDED(sc))
            sc = fat_cache_get(&f->vol->cache, lba, FAT_KIND_DATA, 1, &b);
        if (FAILED(sc))
            return sc;
        if (src)
            memcpy(b + off, src + done, chunk);
        else
            memset(b + off, 0, chunk);
        done += chunk;
    }
    return S_OK;
}

// Writes N bytes at AT (zeros for a NULL SRC), growing the file; as much
// as fits when the disk fills (*PUT says how much, FS_E_FULL).
static SCODE put_bytes(struct fat_file *f, uint32_t at, const uint8_t *src, uint32_t n,
                       uint32_t *put)
{
    uint64_t cap;
    SCODE full = reserve(f, (uint64_t)at + n, &cap);
    if (FAILED(full) && full != FS_E_FULL)
        return full;
    *put = cap <= at ? 0 : cap - at < n ? (uint32_t)(cap - at) : n;
    SCODE sc = copy_in(f, at, src, *put);
    if (FAILED(sc))
        return sc;
    if (at + *put > f->ent.size)
        f->ent.size = at + *put;
    f->ent.attr |= FAT_ATTR_ARCHIVE;
    fat_now(f->vol, &f->ent.mdate, &f->ent.mtime);
    sc = store(f);
    return FAILED(sc) ? sc : full;
}

// Zeros from the end of the file up to AT (FAT has no holes).
static SCODE fill_to(struct fat_file *f, uint32_t at)
{
    uint32_t put;
    if (at <= f->ent.size)
        return S_OK;
    return put_bytes(f, f->ent.size, 0, at - f->ent.size, &put);
}

SCODE fat_write(struct fat_file *f, const void *buf, uint32_t n, uint32_t *put)
{
    *put = 0;
    if (!(f->flags & FAT_O_WRITE))
        return FS_E_ACCESS;
    if ((uint64_t)f->pos + n > FAT_FILE_MAX)
        return FS_E_TOO_BIG;
    SCODE sc = fill_to(f, f->pos);
    if (SUCCEEDED(sc))
        sc = put_bytes(f, f->pos, buf, n, put);
    f->pos += *put;
    return sc;
}

SCODE fat_seek(struct fat_file *f, int64_t off, uint32_t whence, uint64_t *pos)
{
    int64_t base = whence == FAT_SEEK_SET   ? 0
                   : whence == FAT_SEEK_CUR ? (int64_t)f->pos
                   : whence == FAT_SEEK_END ? (int64_t)f->ent.size
                                            : -1;
    if (base < 0 || off < -base)
        return FS_E_BAD_SEEK;
    if (off > (int64_t)FAT_FILE_MAX - base)
        return FS_E_TOO_BIG;
    f->pos = (uint32_t)(base + off);
    if (pos)
        *pos = f->pos;
    return S_OK;
}

// Shrinks: the entry is written (flushed) before the FAT frees clusters,
// so a power cut leaves lost clusters, never an entry on free ones.
static SCODE shrink(struct fat_file *f, uint32_t size)
{
    uint32_t cb = fat_cluster_bytes(f->vol), keep = (uint32_t)(((uint64_t)size + cb - 1) / cb);
    uint32_t old_first = f->ent.first, last = 0;
    SCODE sc = keep ? fat_walk(f->vol, old_first, keep - 1, &last) : S_OK;
    if (FAILED(sc))
        return sc;
    f->ent.size = size;
    if (!keep)
        f->ent.first = 0;
    fat_now(f->vol, &f->ent.mdate, &f->ent.mtime);
    sc = store(f);
    if (SUCCEEDED(sc) && keep < f->nclusters)
        sc = fat_flush(f->vol);
    if (SUCCEEDED(sc) && keep < f->nclusters)
        sc = keep ? fat_cut_chain(f->vol, last) : fat_free_chain(f->vol, old_first);
    if (SUCCEEDED(sc)) {
        f->nclusters = keep;
        f->last = last;
        f->cur_cluster = 0;
    }
    return sc;
}

SCODE fat_set_size(struct fat_file *f, uint64_t size)
{
    if (!(f->flags & FAT_O_WRITE))
        return FS_E_ACCESS;
    if (size > FAT_FILE_MAX)
        return FS_E_TOO_BIG;
    if (size < f->ent.size)
        return shrink(f, (uint32_t)size);
    return fill_to(f, (uint32_t)size);
}

SCODE fat_file_stat(struct fat_file *f, struct fat_stat *st)
{
    st->size = f->ent.size;
    st->attr = f->ent.attr;
    st->mdate = f->ent.mdate;
    st->mtime = f->ent.mtime;
    return S_OK;
}

SCODE fat_file_flush(struct fat_file *f)
{
    return fat_flush(f->vol);
}

SCODE fat_file_discard(struct fat_file *f)
{
    SCODE sc = f->detached && f->ent.first ? fat_free_chain(f->vol, f->ent.first) : S_OK;
    f->ent.first = 0;
    return sc;
}
