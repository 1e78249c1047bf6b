// Path names: "/a/b/c" (the leading '/' optional), looked up component by
// component from the root.
#include "fat_internal.h"

#include <string.h>

static void root_entry(const struct fat_volume *vol, struct fat_entry *e)
{
    memset(e, 0, sizeof *e);
    e->attr = FAT_ATTR_DIR;
    e->first = fat_root(vol);
}

static SCODE check_path(const char **path)
{
    if (!*path || !**path)
        return FS_E_BAD_NAME;
    if (strlen(*path) > FAT_PATH_MAX)
        return FS_E_NAME_TOO_LONG;
    if (**path == '/')
        (*path)++;
    const char *rest = *path, *name; /* every component, before any lookup */
    uint32_t len;
    SCODE sc;
    while ((sc = fat_next_component(&rest, &name, &len)) == S_OK)
        ;
    return sc == S_FALSE ? S_OK : sc;
}

// Steps from the directory DIR into its entry NAME.
static SCODE step(struct fat_volume *vol, struct fat_entry *dir, const char *name, uint32_t len)
{
    struct fat_found f;
    if (!(dir->attr & FAT_ATTR_DIR))
        return FS_E_NOT_DIR;
    SCODE sc = fat_dir_find(vol, dir->first, name, len, &f);
    if (FAILED(sc))
        return sc;
    if ((f.e.attr & FAT_ATTR_DIR) && f.e.first == 0)
        return fat_corrupt(vol); // only ".." may name the root as 0
    *dir = f.e;
    return S_OK;
}

SCODE fat_lookup(struct fat_volume *vol, const char *path, struct fat_entry *out)
{
    const char *name;
    uint32_t len;
    SCODE sc = check_path(&path);
    if (FAILED(sc))
        return sc;
    root_entry(vol, out);
    while ((sc = fat_next_component(&path, &name, &len)) == S_OK) {
        sc = step(vol, out, name, len);
        if (FAILED(sc))
            return sc;
    }
    return sc == S_FALSE ? S_OK : sc;
}

// The directory that holds PATH's last component, and that component.
SCODE fat_lookup_parent(struct fat_volume *vol, const char *path, uint32_t *dir, const char **name,
                        uint32_t *len)
{
    struct fat_entry e;
    SCODE sc = check_path(&path);
    if (FAILED(sc))
        return sc;
    root_entry(vol, &e);
    sc = fat_next_component(&path, name, len);
    if (sc == S_FALSE)
        return FS_E_BAD_NAME; // "/" has no last component
    while (sc == S_OK && *path) {
        sc = step(vol, &e, *name, *len);
        if (SUCCEEDED(sc))
            sc = fat_next_component(&path, name, len);
    }
    if (FAILED(sc))
        return sc;
    if (!(e.attr & FAT_ATTR_DIR))
        return FS_E_NOT_DIR;
    *dir = e.first;
    return S_OK;
}

// A file's chain must hold its size and end: no loop, no free entry, no
// cluster past the end; a directory's must end.
SCODE fat_check_chain(struct fat_volume *vol, const struct fat_entry *e)
{
    uint32_t len = 0;
    if (e->first) {
        SCODE sc = fat_chain_length(vol, e->first, &len);
        if (FAILED(sc))
            return sc;
    }
    if (e->attr & FAT_ATTR_DIR)
        return S_OK;
    uint32_t cb = fat_cluster_bytes(vol);
    uint64_t need = ((uint64_t)e->size + cb - 1) / cb;
    return need > len ? fat_corrupt(vol) : S_OK;
}
