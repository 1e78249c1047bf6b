/* Test images for services/fs: made by mkfs.fat, filled and read back by
 * mtools, checked by fsck.fat, served to the FAT code as a file-backed
 * block device that counts its writes (image.c). */
#ifndef TEST_FS_IMAGE_H
#define TEST_FS_IMAGE_H

#include <services/fs/fat.h>
#include <stddef.h>

struct image {
    char dir[64];  /* a private temporary directory */
    char path[96]; /* the image file in it */
    int fd;
    unsigned writes;                  /* sectors written through the block device */
    unsigned read_calls, write_calls; /* its requests */
    unsigned sectors_read;
    struct fat_cache_mem mem; /* image_mount_cached's, freed by image_done */
    struct fat_blockdev dev;
    struct fat_volume vol;
};

/* mkfs.fat -F TYPE (12, 16 or 32), then open it as a block device. */
void image_make(struct image *im, int type);
/* Mounts the image, asserting success. */
void image_mount(struct image *im);
/* Mounts it with a cache of NSLOTS sectors and runs of RUN sectors. */
void image_mount_cached(struct image *im, uint32_t nslots, uint32_t run);
/* Runs a shell command (formatted), asserting exit status 0. */
void image_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* mcopy DATA (N bytes) in as PATH ("/dir/name"); mmd PATH. */
void image_put(struct image *im, const char *path, const void *data, size_t n);
void image_mkdir(struct image *im, const char *path);
/* mcopy PATH out; the bytes (malloc'ed, caller frees), *N their count. */
char *image_get(struct image *im, const char *path, size_t *n);
/* fsck.fat -n finds nothing to fix. */
void image_fsck(struct image *im);
/* Whether a line of fsck.fat -n's report is one fat_cache_io.c's power-cut
 * note allows (lost clusters, a chain longer than its file, FATs that
 * differ), or the report's own framing. */
int image_fsck_line_after_cut(const char *line);
/* The image file's bytes (malloc'ed), *N its size. */
char *image_bytes(struct image *im, size_t *n);
/* Patterned test data: byte i of a file seeded SEED. */
void image_pattern(char *buf, size_t n, unsigned seed);
/* Closes and removes everything. */
void image_done(struct image *im);

/* EVERY_FAT(suite, name) { ... } : one Criterion test per FAT type,
 * name_fat12, name_fat16 and name_fat32, each running the body with
 * `type` set to 12, 16 or 32. */
#define EVERY_FAT(suite, name)                                                                     \
    static void name(int type);                                                                    \
    Test(suite, name##_fat12)                                                                      \
    {                                                                                              \
        name(12);                                                                                  \
    }                                                                                              \
    Test(suite, name##_fat16)                                                                      \
    {                                                                                              \
        name(16);                                                                                  \
    }                                                                                              \
    Test(suite, name##_fat32)                                                                      \
    {                                                                                              \
        name(32);                                                                                  \
    }                                                                                              \
    static void name(int type)

#endif
