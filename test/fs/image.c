/* The test images' helpers (image.h). */
#include "image.h"
#include "../harness/guest.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int dev_read(void *ctx, uint32_t lba, uint32_t count, void *buf)
{
    struct image *im = ctx;
    size_t n = (size_t)count * FAT_SECTOR;
    im->read_calls++;
    im->sectors_read += count;
    return pread(im->fd, buf, n, (off_t)lba * FAT_SECTOR) == (ssize_t)n ? 0 : -1;
}

static int dev_write(void *ctx, uint32_t lba, uint32_t count, const void *buf)
{
    struct image *im = ctx;
    size_t n = (size_t)count * FAT_SECTOR;
    im->writes += count;
    im->write_calls++;
    return pwrite(im->fd, buf, n, (off_t)lba * FAT_SECTOR) == (ssize_t)n ? 0 : -1;
}

void image_sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    cr_assert_eq(rc, 0, "`%s` exited with %d", cmd, rc);
}

void image_make(struct image *im, int type)
{
    /* FAT12: 1 MiB, 2 sectors a cluster; FAT16: 8 MiB; FAT32: 36 MiB, 1. */
    const char *opts = type == 12 ? "-F 12 -s 2" : type == 16 ? "-F 16 -s 1" : "-F 32 -s 1";
    unsigned kib = type == 12 ? 1024 : type == 16 ? 8192 : 36000;
    memset(im, 0, sizeof *im);
    strcpy(im->dir, "/tmp/fat-test-XXXXXX");
    cr_assert_not_null(mkdtemp(im->dir));
    snprintf(im->path, sizeof im->path, "%s/fs.img", im->dir);
    image_sh("%s %s -C %s %u >/dev/null", guest_sbin("mkfs.fat"), opts, im->path, kib);
    im->fd = open(im->path, O_RDWR);
    cr_assert_geq(im->fd, 0);
    struct stat st;
    fstat(im->fd, &st);
    im->dev = (struct fat_blockdev){im, dev_read, dev_write, (uint32_t)(st.st_size / FAT_SECTOR)};
}

void image_mount(struct image *im)
{
    SCODE sc = fat_mount(&im->vol, &im->dev);
    cr_assert_eq(sc, S_OK, "mount: %#x", (unsigned)sc);
}

void image_mount_cached(struct image *im, uint32_t nslots, uint32_t run)
{
    free(im->mem.slots); /* a second mount starts afresh */
    free(im->mem.run);
    im->mem = (struct fat_cache_mem){calloc(nslots, sizeof(struct fat_cache_slot)), nslots,
                                     malloc((size_t)run * FAT_SECTOR), run};
    SCODE sc = fat_mount_cached(&im->vol, &im->dev, &im->mem);
    cr_assert_eq(sc, S_OK, "mount: %#x", (unsigned)sc);
}

void image_put(struct image *im, const char *path, const void *data, size_t n)
{
    char host[128];
    snprintf(host, sizeof host, "%s/put", im->dir);
    FILE *f = fopen(host, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    fclose(f);
    image_sh("MTOOLS_SKIP_CHECK=1 mcopy -i %s '%s' '::%s'", im->path, host, path);
}

void image_mkdir(struct image *im, const char *path)
{
    image_sh("MTOOLS_SKIP_CHECK=1 mmd -i %s '::%s'", im->path, path);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

char *image_get(struct image *im, const char *path, size_t *n)
{
    char host[128];
    snprintf(host, sizeof host, "%s/get", im->dir);
    unlink(host);
    image_sh("MTOOLS_SKIP_CHECK=1 mcopy -n -i %s '::%s' '%s'", im->path, path, host);
    return slurp(host, n);
}

void image_fsck(struct image *im)
{
    image_sh("%s -n %s >%s/fsck.out 2>&1 || { cat %s/fsck.out; false; }", guest_sbin("fsck.fat"),
             im->path, im->dir, im->dir);
}

char *image_bytes(struct image *im, size_t *n)
{
    return slurp(im->path, n);
}

void image_pattern(char *buf, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)((i * 131 + seed * 7 + i / 509) & 0xFF);
}

void image_done(struct image *im)
{
    close(im->fd);
    free(im->mem.slots);
    free(im->mem.run);
    image_sh("rm -rf %s", im->dir);
}

int image_fsck_line_after_cut(const char *line)
{
    const char *ok[] = {"fsck.fat ",
                        "Reclaimed ",
                        "Leaving filesystem unchanged.",
                        "FATs differ but appear to be intact",
                        "Using first FAT.",
                        "cluster chain length is > ", /* longer than the file */
                        "  Truncating file to ",
                        "files, "};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strstr(line, ok[i]))
            return 1;
    return line[0] == '/' || line[0] == '\n' || line[0] == 0; /* a path heads a report */
}
