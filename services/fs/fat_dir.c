// Directories: 32-byte entries in the fixed root of FAT12/16 or in a
// cluster chain; VFAT long names as runs of entries before a short one.
#include "fat_internal.h"

#include <string.h>

#define DELETED   0xE5
#define LFN_LAST  0x40
#define LFN_CHARS 13

static const uint8_t lfn_slot[LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

uint32_t fat_root(const struct fat_volume *vol)
{
    return vol->geo.type == 32 ? vol->geo.root_cluster : 0;
}

// The cluster STEPS links into a directory's chain; S_FALSE past its end.
static SCODE dir_cluster(struct fat_volume *vol, uint32_t first, uint32_t steps, uint32_t *out)
{
    uint32_t c = first;
    if (steps >= vol->geo.cluster_count)
        return fat_corrupt(vol); // longer than the disk: a loop
    for (uint32_t i = 0; i < steps; i++) {
        SCODE sc = fat_next(vol, c, &c);
        if (FAILED(sc))
            return sc;
        if (c == FAT_EOC)
            return S_FALSE;
    }
    *out = c;
    return S_OK;
}

// Entry INDEX of the directory at FIRST: its bytes and sector; S_FALSE
// past the directory's end.
SCODE fat_dir_entry(struct fat_volume *vol, uint32_t first, uint32_t index, int write,
                    uint8_t **ent, uint32_t *lba)
{
    const uint32_t per_sector = FAT_SECTOR / FAT_DIRENT;
    if (first == 0) {
        if (index >= vol->geo.root_entries)
            return S_FALSE;
        *lba = vol->geo.root_lba + index / per_sector;
    } else {
        uint32_t per_cluster = per_sector * vol->geo.sectors_per_cluster, c;
        SCODE sc = dir_cluster(vol, first, index / per_cluster, &c);
        if (sc != S_OK)
            return sc;
        *lba = fat_cluster_lba(vol, c) + index % per_cluster / per_sector;
    }
    uint8_t *b;
    SCODE sc = fat_cache_get(&vol->cache, *lba, FAT_KIND_DIR, write, &b);
    if (SUCCEEDED(sc))
        *ent = b + index % per_sector * FAT_DIRENT;
    return sc;
}

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void fat_entry_decode(const uint8_t *ent, uint32_t lba, uint32_t off, struct fat_entry *e)
{
    e->lba = lba;
    e->off = off;
    e->attr = ent[11];
    e->first = le16(ent + 26) | le16(ent + 20) << 16;
    e->size = le16(ent + 28) | le16(ent + 30) << 16;
    e->mtime = (uint16_t)le16(ent + 22);
    e->mdate = (uint16_t)le16(ent + 24);
}

static void entry_encode(const struct fat_entry *e, uint8_t *ent)
{
    ent[11] = e->attr;
    put16(ent + 20, e->first >> 16);
    put16(ent + 26, e->first & 0xFFFF);
    put16(ent + 28, e->size & 0xFFFF);
    put16(ent + 30, e->size >> 16);
    put16(ent + 22, e->mtime);
    put16(ent + 24, e->mdate);
}

// Writes E's attributes, first cluster, size and time back to its entry.
SCODE fat_entry_store(struct fat_volume *vol, const struct fat_entry *e)
{
    uint8_t *b;
    SCODE sc = fat_cache_get(&vol->cache, e->lba, FAT_KIND_DIR, 1, &b);
    if (SUCCEEDED(sc))
        entry_encode(e, b + e->off);
    return sc;
}

// A long name being gathered: its parts come last-first.
struct lfn_state {
    uint16_t text[20 * LFN_CHARS + 1];
    uint32_t expect; // the order of the next part; 0: all seen
    uint8_t sum;
    int valid; // a run that began with its last part and is unbroken
};

static void lfn_take(struct lfn_state *l, const uint8_t *ent)
{
    uint32_t ord = ent[0] & 0x1F;
    if (ent[0] & LFN_LAST) {
        l->valid = ord != 0 && ord <= 20;
        if (!l->valid)
            return;
        l->sum = ent[13];
        l->text[ord * LFN_CHARS] = 0;
    } else if (!l->valid || ord == 0 || ord != l->expect || ent[13] != l->sum) {
        l->valid = 0;
        return;
    }
    for (uint32_t i = 0; i < LFN_CHARS; i++)
        l->text[(ord - 1) * LFN_CHARS + i] = (uint16_t)le16(ent + lfn_slot[i]);
    l->expect = ord - 1;
}

// UCS-2 to UTF-8; OUT holds 3 bytes a character.
static void lfn_to_utf8(const uint16_t *t, char *out)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < FAT_NAME_MAX && t[i]; i++) {
        uint16_t c = t[i];
        if (c < 0x80) {
            out[n++] = (char)c;
        } else if (c < 0x800) {
            out[n++] = (char)(0xC0 | c >> 6);
            out[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[n++] = (char)(0xE0 | c >> 12);
            out[n++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[n++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[n] = 0;
}

static int is_dot_entry(const uint8_t *ent)
{
    return ent[0] == '.';
}

// The next live entry at or after *INDEX (not deleted, not a volume
// label, not "." or ".."), with its long name when the checksum matches.
SCODE fat_dir_next(struct fat_volume *vol, uint32_t first, uint32_t *index, struct fat_found *out)
{
    struct lfn_state l;
    l.valid = 0;
    for (;; (*index)++) {
        uint8_t *ent;
        uint32_t lba;
        SCODE sc = fat_dir_entry(vol, first, *index, 0, &ent, &lba);
        if (sc != S_OK)
            return sc;
        if (ent[0] == 0)
            return S_FALSE;
        if (ent[0] != DELETED && (ent[11] & 0x3F) == FAT_ATTR_LFN) {
            lfn_take(&l, ent);
            continue;
        }
        if (ent[0] != DELETED && !(ent[11] & FAT_ATTR_VOLUME) && !is_dot_entry(ent)) {
            int has_long = l.valid && l.expect == 0 && l.sum == fat_lfn_checksum(ent);
            fat_short_to_text(ent, out->short_text);
            if (has_long)
                lfn_to_utf8(l.text, out->d.name);
            else
                memcpy(out->d.name, out->short_text, sizeof out->short_text);
            fat_entry_decode(ent, lba, *index % (FAT_SECTOR / FAT_DIRENT) * FAT_DIRENT, &out->e);
            out->e.parent = first;
            out->d.attr = out->e.attr;
            out->d.size = out->e.size;
            out->index = (*index)++;
            return S_OK;
        }
        l.valid = 0;
    }
}

SCODE fat_dir_find(struct fat_volume *vol, uint32_t first, const char *name, uint32_t len,
                   struct fat_found *out)
{
    uint32_t index = 0, clusters;
    SCODE sc = first ? fat_chain_length(vol, first, &clusters) : S_OK; /* no loop */
    if (FAILED(sc))
        return sc;
    for (;;) {
        sc = fat_dir_next(vol, first, &index, out);
        if (sc != S_OK)
            return sc == S_FALSE ? FS_E_NOT_FOUND : sc;
        if (fat_names_equal(name, len, out->d.name) || fat_names_equal(name, len, out->short_text))
            return S_OK;
    }
}

// Marks the short entry at INDEX and the long-name entries before it free.
SCODE fat_dir_delete(struct fat_volume *vol, uint32_t first, uint32_t index)
{
    for (uint32_t i = index + 1; i-- > 0;) {
        uint8_t *ent;
        uint32_t lba;
        SCODE sc = fat_dir_entry(vol, first, i, 0, &ent, &lba);
        if (FAILED(sc))
            return sc;
        if (i != index && ((ent[11] & 0x3F) != FAT_ATTR_LFN || ent[0] == DELETED))
            return S_OK;
        sc = fat_dir_entry(vol, first, i, 1, &ent, &lba);
        if (FAILED(sc))
            return sc;
        int last = i != index && (ent[0] & LFN_LAST);
        ent[0] = DELETED;
        if (last)
            return S_OK;
    }
    return S_OK;
}

SCODE fat_dir_is_empty(struct fat_volume *vol, uint32_t first)
{
    struct fat_found f;
    uint32_t index = 0;
    SCODE sc = fat_dir_next(vol, first, &index, &f);
    return sc == S_FALSE ? S_OK : SUCCEEDED(sc) ? FS_E_NOT_EMPTY : sc;
}
