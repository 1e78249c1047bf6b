/* The boot archive (paper 1.1: the programs the kernel starts before any
 * file system): a POSIX ustar archive the build makes with GNU tar and
 * links into the kernel image (apps/bootfs.S: bootfs_start, bootfs_end).
 * Every header field is untrusted: the checksum is verified, sizes are
 * strict octal and checked against the archive's end without overflow,
 * names need no NUL, and an archive that stops before its end-of-archive
 * block is truncated. Pure code: the host tests run it on archives tar
 * makes and on hostile ones (test/loader/bootfs.c). */
#ifndef KERNEL_LOADER_BOOTFS_H
#define KERNEL_LOADER_BOOTFS_H

#include <IProcess.h>
#include <com/com.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Its errors, BOOTFS_E_*, are written in idl/IProcess.idl. */

#define BOOTFS_BLOCK    512
#define BOOTFS_NAME_MAX 256 /* prefix (155) + '/' + name (100) */

struct bootfs_entry {
    char name[BOOTFS_NAME_MAX + 1]; /* prefix/name, NUL-terminated */
    bool regular;                   /* a file (type '0' or NUL); else a
                                     * directory, link or other */
    const void *data;               /* inside the archive */
    size_t size;
};

/* A walk over an archive's entries. */
struct bootfs_iter {
    const uint8_t *archive;
    size_t size;
    size_t next; /* offset of the next header */
};

/* The archive each kernel image carries (apps/bootfs.S; kernel.elf every
 * program but the test_ ones, kernel-test.elf all). Defined only in the
 * kernels, not in host builds. */
extern const uint8_t bootfs_start[], bootfs_end[];

void bootfs_iter_init(struct bootfs_iter *it, const void *archive, size_t size);
/* S_OK and *out: the next entry; S_FALSE: the end-of-archive block;
 * BOOTFS_E_*: the archive is malformed there (and the walk stays there). */
SCODE bootfs_next(struct bootfs_iter *it, struct bootfs_entry *out);
/* The regular file called `name`: S_OK, BOOTFS_E_NOT_FOUND, or the error
 * that stopped the walk before it was found. */
SCODE bootfs_find(const void *archive, size_t size, const char *name, struct bootfs_entry *out);

#endif
