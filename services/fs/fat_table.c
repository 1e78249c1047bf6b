// The file allocation table: FAT12 (1.5 bytes an entry, straddling
// sectors), FAT16 and FAT32 (28 bits; the top 4 are reserved and kept),
// and cluster chains, walked with a bound so a loop is an error.
#include "fat_internal.h"

static uint32_t entry_offset(const struct fat_volume *vol, uint32_t cluster)
{
    switch (vol->geo.type) {
    case 12:
        return cluster + cluster / 2;
    case 16:
        return cluster * 2;
    default:
        return cluster * 4;
    }
}

static uint32_t entry_bytes(const struct fat_volume *vol)
{
    return vol->geo.type == 32 ? 4 : 2;
}

static SCODE fat_byte(struct fat_volume *vol, uint32_t off, int write, uint8_t **p)
{
    uint8_t *b;
    SCODE sc =
        fat_cache_get(&vol->cache, vol->geo.fat_lba + off / FAT_SECTOR, FAT_KIND_FAT, write, &b);
    if (SUCCEEDED(sc))
        *p = b + off % FAT_SECTOR;
    return sc;
}

// The entry's bytes, little-endian, byte by byte (a FAT12 entry may
// straddle two sectors).
static SCODE read_raw(struct fat_volume *vol, uint32_t cluster, uint32_t *raw)
{
    uint32_t off = entry_offset(vol, cluster), v = 0;
    for (uint32_t i = 0; i < entry_bytes(vol); i++) {
        uint8_t *p;
        SCODE sc = fat_byte(vol, off + i, 0, &p);
        if (FAILED(sc))
            return sc;
        v |= (uint32_t)*p << (8 * i);
    }
    *raw = v;
    return S_OK;
}

static SCODE write_raw(struct fat_volume *vol, uint32_t cluster, uint32_t raw)
{
    uint32_t off = entry_offset(vol, cluster);
    for (uint32_t i = 0; i < entry_bytes(vol); i++) {
        uint8_t *p;
        SCODE sc = fat_byte(vol, off + i, 1, &p);
        if (FAILED(sc))
            return sc;
        *p = (uint8_t)(raw >> (8 * i));
    }
    return S_OK;
}

static int in_range(const struct fat_volume *vol, uint32_t cluster)
{
    return cluster >= 2 && cluster <= vol->geo.cluster_count + 1;
}

SCODE fat_get(struct fat_volume *vol, uint32_t cluster, uint32_t *value)
{
    uint32_t raw;
    if (!in_range(vol, cluster))
        return fat_corrupt(vol);
    SCODE sc = read_raw(vol, cluster, &raw);
    if (FAILED(sc))
        return sc;
    if (vol->geo.type == 12)
        *value = cluster & 1 ? raw >> 4 : raw & 0xFFF;
    else
        *value = vol->geo.type == 16 ? raw : raw & 0x0FFFFFFF;
    return S_OK;
}

SCODE fat_set(struct fat_volume *vol, uint32_t cluster, uint32_t value)
{
    uint32_t raw;
    if (!in_range(vol, cluster))
        return fat_corrupt(vol);
    SCODE sc = read_raw(vol, cluster, &raw);
    if (FAILED(sc))
        return sc;
    if (vol->geo.type == 12)
        raw =
            cluster & 1 ? (raw & 0x000F) | (value & 0xFFF) << 4 : (raw & 0xF000) | (value & 0xFFF);
    else if (vol->geo.type == 16)
        raw = value & 0xFFFF;
    else
        raw = (raw & 0xF0000000) | (value & 0x0FFFFFFF);
    return write_raw(vol, cluster, raw);
}

static uint32_t eoc_min(const struct fat_volume *vol)
{
    return vol->geo.type == 12 ? 0xFF8 : vol->geo.type == 16 ? 0xFFF8 : 0x0FFFFFF8;
}

static uint32_t eoc_mark(const struct fat_volume *vol)
{
    return vol->geo.type == 12 ? 0xFFF : vol->geo.type == 16 ? 0xFFFF : 0x0FFFFFFF;
}

// The cluster after CLUSTER, or FAT_EOC; a free, bad or out-of-range
// entry inside a chain is corruption.
SCODE fat_next(struct fat_volume *vol, uint32_t cluster, uint32_t *next)
{
    uint32_t v;
    SCODE sc = fat_get(vol, cluster, &v);
    if (FAILED(sc))
        return sc;
    if (v >= eoc_min(vol)) {
        *next = FAT_EOC;
        return S_OK;
    }
    if (!in_range(vol, v))
        return fat_corrupt(vol);
    *next = v;
    return S_OK;
}

// The cluster STEPS links after FIRST; FS_E_CORRUPT if the chain ends
// before. No chain is longer than the cluster count, which bounds the walk.
SCODE fat_walk(struct fat_volume *vol, uint32_t first, uint32_t steps, uint32_t *out)
{
    uint32_t c = first;
    if (steps >= vol->geo.cluster_count)
        return fat_corrupt(vol);
    for (uint32_t i = 0; i < steps; i++) {
        SCODE sc = fat_next(vol, c, &c);
        if (FAILED(sc))
            return sc;
        if (c == FAT_EOC)
            return fat_corrupt(vol);
    }
    *out = c;
    return S_OK;
}

// Counts the chain's clusters; a chain longer than the cluster count loops.
SCODE fat_chain_length(struct fat_volume *vol, uint32_t first, uint32_t *length)
{
    uint32_t c = first, n = 0;
    while (c != FAT_EOC) {
        if (++n > vol->geo.cluster_count)
            return fat_corrupt(vol);
        SCODE sc = fat_next(vol, c, &c);
        if (FAILED(sc))
            return sc;
    }
    *length = n;
    return S_OK;
}

static void count_free(struct fat_volume *vol, int delta)
{
    if (vol->free_count != 0xFFFFFFFFu) {
        vol->free_count += (uint32_t)delta;
        vol->fsinfo_dirty = 1;
    }
}

static SCODE find_free(struct fat_volume *vol, uint32_t *out)
{
    uint32_t n = vol->geo.cluster_count, c = vol->next_free;
    for (uint32_t i = 0; i < n; i++, c++) {
        if (!in_range(vol, c))
            c = 2;
        uint32_t v;
        SCODE sc = fat_get(vol, c, &v);
        if (FAILED(sc))
            return sc;
        if (v == 0) {
            *out = c;
            return S_OK;
        }
    }
    return FS_E_FULL;
}

// Takes a free cluster, marks it the end of a chain and, if PREV is not
// 0, links PREV to it (the new end is written first).
SCODE fat_alloc(struct fat_volume *vol, uint32_t prev, uint32_t *out)
{
    uint32_t c;
    SCODE sc = find_free(vol, &c);
    if (SUCCEEDED(sc))
        sc = fat_set(vol, c, eoc_mark(vol));
    if (SUCCEEDED(sc) && prev)
        sc = fat_set(vol, prev, c);
    if (FAILED(sc))
        return sc;
    vol->next_free = c + 1;
    count_free(vol, -1);
    *out = c;
    return S_OK;
}

SCODE fat_free_chain(struct fat_volume *vol, uint32_t first)
{
    uint32_t len, c = first;
    SCODE sc = fat_chain_length(vol, first, &len);
    for (uint32_t i = 0; SUCCEEDED(sc) && i < len; i++) {
        uint32_t next;
        sc = fat_next(vol, c, &next);
        if (SUCCEEDED(sc))
            sc = fat_set(vol, c, 0);
        if (SUCCEEDED(sc))
            count_free(vol, 1);
        c = next;
    }
    return sc;
}

// Ends the chain at LAST and frees what followed it.
SCODE fat_cut_chain(struct fat_volume *vol, uint32_t last)
{
    uint32_t next;
    SCODE sc = fat_next(vol, last, &next);
    if (SUCCEEDED(sc))
        sc = fat_set(vol, last, eoc_mark(vol));
    if (SUCCEEDED(sc) && next != FAT_EOC)
        sc = fat_free_chain(vol, next);
    return sc;
}
