/* The file system service's parts for each other (services/fs): one FAT
 * volume, one lock around it, and the objects' constructors. */
#ifndef SERVICES_FS_FS_H
#define SERVICES_FS_FS_H

#include <IFile.h>

#include "fat.h"

/* The largest transfer to the disk or through one IFile call: a
 * process's calls carry at most IPC_MAX_DATA bytes, headers included. */
#define FS_MAX_TRANSFER (32 * 1024)

extern struct fat_volume fs_volume;

/* Calls arrive on several threads in either placement: every use of
 * fs_volume (and of a file or cursor on it) holds the lock. */
void fs_lock(void);
void fs_unlock(void);

/* fs_disk.c: disk0 as the FAT code's block device. */
SCODE fs_disk_open(struct fat_blockdev *dev);

/* fs_system.c: the one IFileSystem object. */
IFileSystem *fs_system(void);

/* fs_file.c, fs_dir.c: a new object with one reference (NULL: no memory);
 * the last Release closes it. fs_file_new (joining the file's node if it
 * is open already) and fs_file_open_at with the lock held: the open
 * file whose entry is E, or NULL. */
struct fat_file *fs_file_open_at(const struct fat_entry *e);
IFile *fs_file_new(const struct fat_file *f);
IDirectory *fs_dir_new(const struct fat_dir_cursor *cur);

/* fs_map.c: the file's pages as a read-only memory object (a new
 * reference); a write of N bytes at AT through some IFile; a file's pages
 * dropped by its first cluster; every file's whose first cluster is free
 * now dropped (after removes and truncations). */
SCODE fs_map_file(const struct fat_file *f, IMemoryObject **out);
void fs_map_wrote(const struct fat_file *f, uint32_t at, const void *data, uint32_t n);
void fs_map_forget(uint32_t first);
void fs_map_sweep(void);

/* fs_system.c: a FAT stat as IFile.idl's. */
void fs_stat_out(const struct fat_stat *st, FILE_STAT *out);

#endif
