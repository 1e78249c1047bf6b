// The FAT modules' prototypes for each other, by file.
#ifndef SERVICES_FS_FAT_INTERNAL_H
#define SERVICES_FS_FAT_INTERNAL_H

#include "fat.h"

#define FAT_EOC    0xFFFFFFFFu // fat_next: the chain ends here
#define FAT_DIRENT 32

// fat_boot.c
SCODE fat_parse_boot(const uint8_t *sector, uint32_t device_blocks, struct fat_geometry *g);

// fat_volume.c
SCODE fat_corrupt(struct fat_volume *vol); // poisons the cache, FS_E_CORRUPT
uint32_t fat_cluster_bytes(const struct fat_volume *vol);
uint32_t fat_cluster_lba(const struct fat_volume *vol, uint32_t cluster);
void fat_now(const struct fat_volume *vol, uint16_t *date, uint16_t *time);

// fat_table.c
SCODE fat_get(struct fat_volume *vol, uint32_t cluster, uint32_t *value);
SCODE fat_set(struct fat_volume *vol, uint32_t cluster, uint32_t value);
SCODE fat_next(struct fat_volume *vol, uint32_t cluster, uint32_t *next);
SCODE fat_walk(struct fat_volume *vol, uint32_t first, uint32_t steps, uint32_t *out);
SCODE fat_chain_length(struct fat_volume *vol, uint32_t first, uint32_t *length);
SCODE fat_alloc(struct fat_volume *vol, uint32_t prev, uint32_t *out);
SCODE fat_free_chain(struct fat_volume *vol, uint32_t first);
SCODE fat_cut_chain(struct fat_volume *vol, uint32_t last); // frees after LAST

// fat_name.c
SCODE fat_check_component(const char *name, uint32_t len);
SCODE fat_next_component(const char **path, const char **name, uint32_t *len);
uint8_t fat_lfn_checksum(const uint8_t short_name[11]);
int fat_names_equal(const char *a, uint32_t alen, const char *b);
int fat_fits_short(const char *name, uint32_t len, uint8_t out[11]);
void fat_short_basis(const char *name, uint32_t len, uint8_t out[11]);
void fat_short_tail(uint8_t name[11], uint32_t n);
void fat_short_to_text(const uint8_t *ent, char *out);

// fat_dir.c: entries of the directory starting at cluster FIRST (0: the
// fixed root of FAT12/16), by index.
SCODE fat_dir_entry(struct fat_volume *vol, uint32_t first, uint32_t index, int write,
                    uint8_t **ent, uint32_t *lba);
struct fat_found {
    struct fat_dirent d; // the long name if there is one
    struct fat_entry e;
    char short_text[13];
    uint32_t index; // the short entry's
};
SCODE fat_dir_next(struct fat_volume *vol, uint32_t first, uint32_t *index,
                   struct fat_found *out); // S_FALSE at the end

SCODE fat_dir_find(struct fat_volume *vol, uint32_t first, const char *name, uint32_t len,
                   struct fat_found *out);
SCODE fat_dir_add(struct fat_volume *vol, uint32_t first, const char *name, uint32_t len,
                  const struct fat_entry *model, struct fat_entry *out);
SCODE fat_dir_delete(struct fat_volume *vol, uint32_t first, uint32_t index);
SCODE fat_dir_is_empty(struct fat_volume *vol, uint32_t first);
SCODE fat_entry_store(struct fat_volume *vol, const struct fat_entry *e);
void fat_entry_decode(const uint8_t *ent, uint32_t lba, uint32_t off, struct fat_entry *e);
uint32_t fat_root(const struct fat_volume *vol);

// fat_path.c
SCODE fat_lookup(struct fat_volume *vol, const char *path, struct fat_entry *out);
SCODE fat_lookup_parent(struct fat_volume *vol, const char *path, uint32_t *dir, const char **name,
                        uint32_t *len);
SCODE fat_check_chain(struct fat_volume *vol, const struct fat_entry *e);

#endif
