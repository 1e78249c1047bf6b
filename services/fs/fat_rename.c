// Rename and move: the old entry goes (flushed) before the new one is
// written, so a power cut leaves a lost chain, never two entries on one.
#include "fat_internal.h"

#include <string.h>

// The directory ".." of DIR names (its first cluster; 0 is the root).
static SCODE parent_of(struct fat_volume *vol, uint32_t dir, uint32_t *parent)
{
    uint8_t *ent;
    uint32_t lba;
    SCODE sc = fat_dir_entry(vol, dir, 1, 0, &ent, &lba);
    if (sc != S_OK || memcmp(ent, "..         ", 11))
        return FAILED(sc) ? sc : fat_corrupt(vol);
    *parent = (uint32_t)ent[26] | (uint32_t)ent[27] << 8 | (uint32_t)ent[20] << 16 |
              (uint32_t)ent[21] << 24;
    if (*parent == 0)
        *parent = fat_root(vol);
    return S_OK;
}

// Whether DIR is ANCESTOR or inside it: a directory cannot move there.
static SCODE inside(struct fat_volume *vol, uint32_t dir, uint32_t ancestor)
{
    for (uint32_t n = 0; n <= vol->geo.cluster_count; n++) {
        if (dir == ancestor)
            return S_OK;
        if (dir == fat_root(vol))
            return S_FALSE;
        SCODE sc = parent_of(vol, dir, &dir);
        if (FAILED(sc))
            return sc;
    }
    return fat_corrupt(vol);
}

// A moved directory's ".." names its new parent.
static SCODE repoint_dotdot(struct fat_volume *vol, uint32_t dir, uint32_t parent)
{
    uint8_t *ent;
    uint32_t lba, p = parent == fat_root(vol) ? 0 : parent;
    SCODE sc = fat_dir_entry(vol, dir, 1, 1, &ent, &lba);
    if (FAILED(sc))
        return sc;
    ent[20] = (uint8_t)(p >> 16);
    ent[21] = (uint8_t)(p >> 24);
    ent[26] = (uint8_t)p;
    ent[27] = (uint8_t)(p >> 8);
    return S_OK;
}

// Checks FROM can move to TO: it exists and is sound, TO does not exist,
// and a directory does not move into itself.
static SCODE check_move(struct fat_volume *vol, const struct fat_found *src, uint32_t to_dir,
                        const char *to_name, uint32_t to_len)
{
    struct fat_found dst;
    SCODE sc = fat_check_chain(vol, &src->e);
    if (SUCCEEDED(sc))
        sc = fat_dir_find(vol, to_dir, to_name, to_len, &dst);
    if (SUCCEEDED(sc))
        return FS_E_EXISTS;
    if (sc != FS_E_NOT_FOUND)
        return sc;
    if (!(src->e.attr & FAT_ATTR_DIR))
        return S_OK;
    sc = inside(vol, to_dir, src->e.first);
    return sc == S_OK ? E_INVALIDARG : sc == S_FALSE ? S_OK : sc;
}

SCODE fat_rename(struct fat_volume *vol, const char *from, const char *to)
{
    uint32_t from_dir, to_dir, from_len, to_len;
    const char *from_name, *to_name;
    struct fat_found src;
    struct fat_entry out;
    SCODE sc = fat_lookup_parent(vol, from, &from_dir, &from_name, &from_len);
    if (SUCCEEDED(sc))
        sc = fat_dir_find(vol, from_dir, from_name, from_len, &src);
    if (SUCCEEDED(sc))
        sc = fat_lookup_parent(vol, to, &to_dir, &to_name, &to_len);
    if (SUCCEEDED(sc))
        sc = check_move(vol, &src, to_dir, to_name, to_len);
    if (SUCCEEDED(sc))
        sc = fat_dir_delete(vol, from_dir, src.index);
    if (SUCCEEDED(sc))
        sc = fat_flush(vol);
    if (SUCCEEDED(sc))
        sc = fat_dir_add(vol, to_dir, to_name, to_len, &src.e, &out);
    if (SUCCEEDED(sc) && (src.e.attr & FAT_ATTR_DIR) && from_dir != to_dir)
        sc = repoint_dotdot(vol, src.e.first, to_dir);
    return sc;
}
