// A FAT12/16/32 file system with VFAT long names over a block device of
// 512-byte sectors: pure, freestanding C (memcpy, memset, memcmp, strlen
// only; no allocation), so the same code runs in the fs service in the
// kernel or in a process, and in the host tests. One thread at a time: the
// caller serializes every call on a volume.
#ifndef SERVICES_FS_FAT_H
#define SERVICES_FS_FAT_H

#include <stdint.h>

#include "fat_cache.h"
#include <IFile.h>

#define FAT_NAME_MAX 255 // bytes of one path component
#define FAT_PATH_MAX 260 // bytes of a whole path

// Open flags: the values of idl/IFile.idl's FILE_*.
#define FAT_O_READ     0x1u
#define FAT_O_WRITE    0x2u
#define FAT_O_CREATE   0x4u
#define FAT_O_TRUNCATE 0x8u

#define FAT_SEEK_SET 0u
#define FAT_SEEK_CUR 1u
#define FAT_SEEK_END 2u

#define FAT_ATTR_READ_ONLY 0x01
#define FAT_ATTR_HIDDEN    0x02
#define FAT_ATTR_SYSTEM    0x04
#define FAT_ATTR_VOLUME    0x08
#define FAT_ATTR_DIR       0x10
#define FAT_ATTR_ARCHIVE   0x20
#define FAT_ATTR_LFN       0x0F

// What the boot sector says, checked (fat_boot.c).
struct fat_geometry {
    unsigned type; // 12, 16 or 32
    uint32_t sectors_per_cluster;
    uint32_t fat_lba;     // the first FAT copy
    uint32_t fat_sectors; // of one copy
    uint32_t nfats;
    uint32_t root_lba;      // FAT12/16: the fixed root directory
    uint32_t root_entries;  // FAT12/16
    uint32_t root_cluster;  // FAT32
    uint32_t fsinfo_lba;    // FAT32, 0 if none
    uint32_t data_lba;      // cluster 2's first sector
    uint32_t cluster_count; // clusters 2 .. cluster_count + 1 exist
    uint32_t total_sectors;
};

struct fat_volume {
    struct fat_cache cache; // holds the device
    struct fat_geometry geo;
    uint32_t next_free;  // where the next allocation starts looking
    uint32_t free_count; // 0xFFFFFFFF: unknown (FAT32 FSInfo)
    int fsinfo_dirty;
    int free_counted;           // free_count is the FAT's count (fat_statfs), not FSInfo's hint
    uint16_t (*dos_date)(void); // time stamps; NULL: 1980-01-01 00:00
};

// Where a directory entry is on the disk, and what it says.
struct fat_entry {
    uint32_t lba;    // the sector holding the short entry
    uint32_t off;    // its byte offset in that sector
    uint32_t parent; // the directory's first cluster (0: fixed root)
    uint8_t attr;
    uint32_t first; // first cluster, 0 for none
    uint32_t size;
    uint16_t mdate, mtime;
};

struct fat_file {
    struct fat_volume *vol;
    struct fat_entry ent;
    uint32_t flags;
    uint32_t pos;
    uint32_t nclusters;   // the chain's length
    uint32_t last;        // its last cluster, 0 for none
    uint32_t cur_index;   // the chain position cur_cluster is at (cache)
    uint32_t cur_cluster; // 0: none cached
    int detached;         // its name was removed while open (fat_unlink): no entry to store
};

struct fat_stat {
    uint32_t size;
    uint8_t attr;
    uint16_t mdate, mtime;
};

struct fat_dirent {
    char name[FAT_NAME_MAX * 3 + 1]; // UTF-8
    uint8_t attr;
    uint32_t size;
};

struct fat_dir_cursor {
    struct fat_volume *vol;
    uint32_t first; // the directory's first cluster (0: fixed root)
    uint32_t index; // the next entry to look at
};

// fat_volume.c
SCODE fat_mount(struct fat_volume *vol, const struct fat_blockdev *dev); // the built-in cache
// With MEM's slots and run buffer for the cache (fat_cache.h); a MEM too
// small or with a run too long is ignored for the built-in cache.
SCODE fat_mount_cached(struct fat_volume *vol, const struct fat_blockdev *dev,
                       const struct fat_cache_mem *mem);
SCODE fat_flush(struct fat_volume *vol);     // every dirty sector, in order
int fat_dirty(const struct fat_volume *vol); // something waits for a flush
SCODE fat_unmount(struct fat_volume *vol);   // flush

// fat_file.c
SCODE fat_open(struct fat_volume *vol, const char *path, uint32_t flags, struct fat_file *f);
SCODE fat_read(struct fat_file *f, void *buf, uint32_t n, uint32_t *got);
SCODE fat_write(struct fat_file *f, const void *buf, uint32_t n, uint32_t *put);
SCODE fat_seek(struct fat_file *f, int64_t off, uint32_t whence, uint64_t *pos);
SCODE fat_set_size(struct fat_file *f, uint64_t size);
SCODE fat_file_stat(struct fat_file *f, struct fat_stat *st);
SCODE fat_file_flush(struct fat_file *f);
// A detached file's clusters freed, at its last close (fat_unlink).
SCODE fat_file_discard(struct fat_file *f);

struct fat_statfs {
    uint32_t clusters, free_clusters, cluster_bytes, type;
};

// fat_ops.c
SCODE fat_statfs(struct fat_volume *vol, struct fat_statfs *out); // counts free clusters once
SCODE fat_stat(struct fat_volume *vol, const char *path, struct fat_stat *st);
SCODE fat_mkdir(struct fat_volume *vol, const char *path);
SCODE fat_remove(struct fat_volume *vol, const char *path);
// Removes a file's name and keeps its clusters, for a file still open:
// the caller sets the open file's detached and frees the clusters with
// fat_file_discard when it closes. *FIRST: the chain kept.
SCODE fat_unlink(struct fat_volume *vol, const char *path, uint32_t *first);
SCODE fat_rename(struct fat_volume *vol, const char *from, const char *to);

// fat_list.c
SCODE fat_opendir(struct fat_volume *vol, const char *path, struct fat_dir_cursor *cur);
SCODE fat_readdir(struct fat_dir_cursor *cur, struct fat_dirent *out); // S_FALSE at the end

#endif
