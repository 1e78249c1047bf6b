// Whole-name operations: stat, make directory, remove, rename.
#include "fat_internal.h"

#include <string.h>

SCODE fat_stat(struct fat_volume *vol, const char *path, struct fat_stat *st)
{
    struct fat_entry e;
    SCODE sc = fat_lookup(vol, path, &e);
    if (FAILED(sc))
        return sc;
    st->size = e.size;
    st->attr = e.attr;
    st->mdate = e.mdate;
    st->mtime = e.mtime;
    return S_OK;
}

// PATH's parent directory and its entry there (FS_E_NOT_FOUND if none).
static SCODE find_last(struct fat_volume *vol, const char *path, uint32_t *dir, const char **name,
                       uint32_t *len, struct fat_found *f)
{
    SCODE sc = fat_lookup_parent(vol, path, dir, name, len);
    return FAILED(sc) ? sc : fat_dir_find(vol, *dir, *name, *len, f);
}

// A directory's "." and ".." (the root is 0 in "..", FAT32's too).
static SCODE write_dots(struct fat_volume *vol, uint32_t self, uint32_t parent,
                        const struct fat_entry *model)
{
    uint8_t *b;
    SCODE sc = S_OK;
    for (uint32_t i = 0; SUCCEEDED(sc) && i < vol->geo.sectors_per_cluster; i++)
        sc = fat_cache_fresh(&vol->cache, fat_cluster_lba(vol, self) + i, FAT_KIND_DATA, &b);
    if (SUCCEEDED(sc)) /* the names go in the first sector */
        sc = fat_cache_get(&vol->cache, fat_cluster_lba(vol, self), FAT_KIND_DATA, 1, &b);
    if (FAILED(sc))
        return sc;
    struct fat_entry dot = *model;
    dot.lba = fat_cluster_lba(vol, self);
    for (uint32_t i = 0; i < 2 && SUCCEEDED(sc); i++) {
        memset(b + i * FAT_DIRENT, ' ', 11);
        memset(b + i * FAT_DIRENT, '.', i + 1);
        dot.off = i * FAT_DIRENT;
        dot.first = i == 0 ? self : parent == fat_root(vol) ? 0 : parent;
        sc = fat_entry_store(vol, &dot);
    }
    return sc;
}

SCODE fat_mkdir(struct fat_volume *vol, const char *path)
{
    uint32_t dir, len, c = 0;
    const char *name;
    struct fat_found f;
    struct fat_entry model, out;
    SCODE sc = fat_lookup_parent(vol, path, &dir, &name, &len);
    if (FAILED(sc))
        return sc;
    sc = fat_dir_find(vol, dir, name, len, &f);
    if (sc != FS_E_NOT_FOUND)
        return SUCCEEDED(sc) ? FS_E_EXISTS : sc;
    memset(&model, 0, sizeof model);
    model.attr = FAT_ATTR_DIR;
    fat_now(vol, &model.mdate, &model.mtime);
    sc = fat_alloc(vol, 0, &c);
    if (SUCCEEDED(sc))
        sc = write_dots(vol, c, dir, &model);
    model.first = c;
    if (SUCCEEDED(sc))
        sc = fat_dir_add(vol, dir, name, len, &model, &out);
    if (FAILED(sc) && sc != FS_E_CORRUPT && c)
        fat_free_chain(vol, c);
    return sc;
}

// The entry is deleted and flushed before its clusters are freed.
SCODE fat_unlink(struct fat_volume *vol, const char *path, uint32_t *first)
{
    uint32_t dir, len;
    const char *name;
    struct fat_found f;
    SCODE sc = find_last(vol, path, &dir, &name, &len, &f);
    *first = 0;
    if (SUCCEEDED(sc))
        sc = fat_check_chain(vol, &f.e);
    if (SUCCEEDED(sc) && (f.e.attr & FAT_ATTR_DIR))
        sc = f.e.first ? fat_dir_is_empty(vol, f.e.first) : fat_corrupt(vol);
    if (SUCCEEDED(sc))
        sc = fat_dir_delete(vol, dir, f.index);
    if (SUCCEEDED(sc))
        sc = fat_flush(vol);
    if (SUCCEEDED(sc))
        *first = f.e.first;
    return sc;
}

// The entry goes (flushed) before the clusters are freed (fat_cache_io.c).
SCODE fat_remove(struct fat_volume *vol, const char *path)
{
    uint32_t first;
    SCODE sc = fat_unlink(vol, path, &first);
    if (SUCCEEDED(sc) && first)
        sc = fat_free_chain(vol, first);
    return sc;
}

// The free count: FAT12/16 keep none, and FAT32's FSInfo is only a hint,
// so the FAT is counted at the first call and kept up from then on.
SCODE fat_statfs(struct fat_volume *vol, struct fat_statfs *out)
{
    static const uint32_t unknown = 0xFFFFFFFFu;
    if (!vol->free_counted || vol->free_count == unknown) {
        uint32_t n = 0, v;
        for (uint32_t c = 2; c < vol->geo.cluster_count + 2; c++) {
            SCODE sc = fat_get(vol, c, &v);
            if (FAILED(sc))
                return sc;
            n += v == 0;
        }
        vol->free_count = n;
        vol->free_counted = 1;
    }
    *out = (struct fat_statfs){vol->geo.cluster_count, vol->free_count, fat_cluster_bytes(vol),
                               vol->geo.type};
    return S_OK;
}
