// Adding an entry to a directory: its short name (given, or a basis with
// a ~N tail), its long-name entries, free slots, growing the directory.
#include "fat_internal.h"

#include <string.h>

#define LFN_CHARS 13

static const uint8_t lfn_slot[LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

// Whether a short entry of the directory already has NAME11.
static SCODE short_taken(struct fat_volume *vol, uint32_t first, const uint8_t *name11)
{
    for (uint32_t i = 0;; i++) {
        uint8_t *ent;
        uint32_t lba;
        SCODE sc = fat_dir_entry(vol, first, i, 0, &ent, &lba);
        if (sc != S_OK || ent[0] == 0)
            return sc == S_FALSE || sc == S_OK ? S_FALSE : sc;
        if ((ent[11] & 0x3F) != FAT_ATTR_LFN && !memcmp(ent, name11, 11))
            return S_OK;
    }
}

// The short name: NAME itself if it is 8.3 in upper case (no long name
// then), else its basis, with ~1, ~2, ... until it is unique.
static SCODE pick_short(struct fat_volume *vol, uint32_t first, const char *name, uint32_t len,
                        uint8_t out[11], int *need_long)
{
    uint8_t basis[11];
    *need_long = !fat_fits_short(name, len, out);
    if (!*need_long)
        return S_OK;
    fat_short_basis(name, len, basis);
    for (uint32_t n = 1; n < 1000000; n++) {
        memcpy(out, basis, 11);
        fat_short_tail(out, n);
        SCODE sc = short_taken(vol, first, out);
        if (sc != S_OK)
            return sc == S_FALSE ? S_OK : sc;
    }
    return FS_E_EXISTS;
}

// Adds a zeroed cluster to the directory's chain: written (flushed)
// before the FAT links it, so a cut never shows garbage entries.
static SCODE grow(struct fat_volume *vol, uint32_t first)
{
    uint32_t last = first, c, len;
    SCODE sc = fat_chain_length(vol, first, &len);
    if (SUCCEEDED(sc))
        sc = fat_walk(vol, first, len - 1, &last);
    if (SUCCEEDED(sc))
        sc = fat_alloc(vol, 0, &c);
    for (uint32_t i = 0; SUCCEEDED(sc) && i < vol->geo.sectors_per_cluster; i++) {
        uint8_t *b;
        sc = fat_cache_fresh(&vol->cache, fat_cluster_lba(vol, c) + i, FAT_KIND_DATA, &b);
    }
    if (SUCCEEDED(sc))
        sc = fat_flush(vol);
    return SUCCEEDED(sc) ? fat_set(vol, last, c) : sc;
}

// Marks the unused entries FROM..TO deleted: an entry 0 ends a directory,
// so none may stay before a used one. Flushed before that one is written.
static SCODE close_gap(struct fat_volume *vol, uint32_t first, uint32_t from, uint32_t to)
{
    SCODE sc = S_OK;
    for (uint32_t i = from; SUCCEEDED(sc) && i < to; i++) {
        uint8_t *ent;
        uint32_t lba;
        sc = fat_dir_entry(vol, first, i, 1, &ent, &lba);
        if (SUCCEEDED(sc))
            ent[0] = 0xE5;
    }
    return SUCCEEDED(sc) ? fat_flush(vol) : sc;
}

// The first index of COUNT free entries in a row, in one sector when they
// fit, growing the directory (not the fixed root) when it has none.
static SCODE find_slots(struct fat_volume *vol, uint32_t first, uint32_t count, uint32_t *at)
{
    uint32_t run = 0, end = FAT_EOC;
    for (uint32_t i = 0;; i++) {
        uint8_t *ent;
        uint32_t lba;
        SCODE sc = fat_dir_entry(vol, first, i, 0, &ent, &lba);
        if (sc == S_FALSE) {
            if (first == 0)
                return FS_E_FULL;
            sc = grow(vol, first);
            if (SUCCEEDED(sc))
                sc = fat_dir_entry(vol, first, i, 0, &ent, &lba);
        }
        if (FAILED(sc))
            return sc;
        if (i % (FAT_SECTOR / FAT_DIRENT) == 0 && count <= FAT_SECTOR / FAT_DIRENT)
            run = 0; /* one sector: an atomic write, never half a long name */
        run = ent[0] == 0 || ent[0] == 0xE5 ? run + 1 : 0;
        if (ent[0] == 0 && end == FAT_EOC)
            end = i;
        if (run == count) {
            *at = i + 1 - count;
            return end < *at ? close_gap(vol, first, end, *at) : S_OK;
        }
    }
}

static void lfn_fill(uint8_t *ent, const char *name, uint32_t len, uint32_t ord, int last,
                     uint8_t sum)
{
    memset(ent, 0, FAT_DIRENT);
    ent[0] = (uint8_t)(ord | (last ? 0x40 : 0));
    ent[11] = FAT_ATTR_LFN;
    ent[13] = sum;
    for (uint32_t i = 0; i < LFN_CHARS; i++) {
        uint32_t at = (ord - 1) * LFN_CHARS + i;
        uint16_t c = at < len ? (uint8_t)name[at] : at == len ? 0 : 0xFFFF;
        ent[lfn_slot[i]] = (uint8_t)c;
        ent[lfn_slot[i] + 1] = (uint8_t)(c >> 8);
    }
}

// Adds NAME (checked, not present) to the directory at FIRST with the
// attributes, cluster, size and time of MODEL; OUT says where it went.
SCODE fat_dir_add(struct fat_volume *vol, uint32_t first, const char *name, uint32_t len,
                  const struct fat_entry *model, struct fat_entry *out)
{
    uint8_t short_name[11] = {0}, *ent;
    uint32_t at, lba;
    int need_long = 0; /* (read below even when the lookup failed) */
    SCODE sc = first ? fat_chain_length(vol, first, &at) : S_OK; /* no loop */
    if (SUCCEEDED(sc))
        sc = pick_short(vol, first, name, len, short_name, &need_long);
    uint32_t parts = need_long ? (len + LFN_CHARS - 1) / LFN_CHARS : 0;
    if (SUCCEEDED(sc))
        sc = find_slots(vol, first, parts + 1, &at);
    uint8_t sum = fat_lfn_checksum(short_name);
    for (uint32_t i = 0; SUCCEEDED(sc) && i < parts; i++) {
        sc = fat_dir_entry(vol, first, at + i, 1, &ent, &lba);
        if (SUCCEEDED(sc))
            lfn_fill(ent, name, len, parts - i, i == 0, sum);
    }
    if (SUCCEEDED(sc))
        sc = fat_dir_entry(vol, first, at + parts, 1, &ent, &lba);
    if (FAILED(sc))
        return sc;
    memset(ent, 0, FAT_DIRENT);
    memcpy(ent, short_name, 11);
    *out = *model;
    out->lba = lba;
    out->off = (at + parts) % (FAT_SECTOR / FAT_DIRENT) * FAT_DIRENT;
    out->parent = first;
    return fat_entry_store(vol, out);
}
