/* Corrupt images: a bad boot sector, a cluster chain that loops, a FAT
 * entry past the last cluster, a directory entry with a size its chain
 * cannot hold. Each gets FS_E_CORRUPT, never a crash or a hang, and the
 * image stays byte for byte as it was: nothing is written. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"

TestSuite(fs_corrupt); /* no .timeout: Criterion 2.4 then leaks in its runner */
#include <services/fs/fat_internal.h>

static void poke(struct image *im, uint64_t off, const void *bytes, size_t n)
{
    cr_assert_eq(pwrite(im->fd, bytes, n, (off_t)off), (ssize_t)n);
}

static void poke32(struct image *im, uint64_t off, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    poke(im, off, b, 4);
}

/* Sets CLUSTER's entry in every FAT copy, as a buggy or hostile tool would. */
static void set_fat(struct image *im, uint32_t cluster, uint32_t value)
{
    const struct fat_geometry *g = &im->vol.geo;
    for (uint32_t copy = 0; copy < g->nfats; copy++) {
        uint64_t base = (uint64_t)(g->fat_lba + copy * g->fat_sectors) * FAT_SECTOR;
        uint8_t b[4];
        if (g->type == 12) {
            uint64_t off = base + cluster + cluster / 2;
            cr_assert_eq(pread(im->fd, b, 2, (off_t)off), 2);
            uint32_t raw = b[0] | b[1] << 8;
            raw = cluster & 1 ? (raw & 0xF) | value << 4 : (raw & 0xF000) | value;
            poke(im, off, (uint8_t[]){(uint8_t)raw, (uint8_t)(raw >> 8)}, 2);
        } else if (g->type == 16) {
            poke(im, base + cluster * 2, (uint8_t[]){(uint8_t)value, (uint8_t)(value >> 8)}, 2);
        } else {
            poke32(im, base + cluster * 4, value);
        }
    }
}

/* An image with a file of several clusters and a directory of several;
 * *FILE is the file's entry (read while the image is sound). */
static void make_victim(struct image *im, int type, struct fat_entry *file)
{
    image_make(im, type);
    char data[12000];
    image_pattern(data, sizeof data, 12);
    image_put(im, "/victim.bin", data, sizeof data);
    image_mount(im);
    struct fat_file f;
    cr_assert_eq(fat_open(&im->vol, "/victim.bin", FAT_O_READ, &f), S_OK);
    *file = f.ent;
}

/* Every operation on the victim fails with FS_E_CORRUPT; the image is unchanged. */
static void expect_refused(struct image *im)
{
    size_t n0, n1;
    char *before = image_bytes(im, &n0);
    struct fat_file f;
    struct fat_stat st;
    cr_assert_eq(fat_mount(&im->vol, &im->dev), S_OK);
    cr_assert_eq(fat_open(&im->vol, "/victim.bin", FAT_O_READ, &f), FS_E_CORRUPT);
    cr_assert_eq(fat_mount(&im->vol, &im->dev), S_OK);
    cr_assert_eq(fat_open(&im->vol, "/victim.bin", FAT_O_WRITE, &f), FS_E_CORRUPT);
    cr_assert_eq(fat_mount(&im->vol, &im->dev), S_OK);
    cr_assert_eq(fat_remove(&im->vol, "/victim.bin"), FS_E_CORRUPT);
    cr_assert_eq(fat_mount(&im->vol, &im->dev), S_OK);
    cr_assert_eq(fat_rename(&im->vol, "/victim.bin", "/other"), FS_E_CORRUPT);
    /* corruption seen after other changes: none of them is written */
    cr_assert_eq(fat_mount(&im->vol, &im->dev), S_OK);
    cr_assert_eq(fat_open(&im->vol, "/new", FAT_O_WRITE | FAT_O_CREATE, &f), S_OK);
    cr_assert_eq(fat_stat(&im->vol, "/victim.bin", &st), S_OK);
    cr_assert_eq(fat_open(&im->vol, "/victim.bin", FAT_O_READ, &f), FS_E_CORRUPT);
    cr_assert_eq(fat_unmount(&im->vol), FS_E_POISONED);
    cr_assert_eq(im->writes, 0);
    char *after = image_bytes(im, &n1);
    cr_assert(n0 == n1 && memcmp(before, after, n0) == 0, "the image changed");
    free(before);
    free(after);
}

EVERY_FAT(fs_corrupt, a_chain_that_loops)
{
    struct image im;
    struct fat_entry e;
    make_victim(&im, type, &e);
    uint32_t c = e.first, next;
    for (int i = 0; i < 2; i++) { /* the third cluster points back to the first */
        cr_assert_eq(fat_get(&im.vol, c, &next), S_OK);
        c = next;
    }
    set_fat(&im, c, e.first);
    expect_refused(&im);
    image_done(&im);
}

EVERY_FAT(fs_corrupt, a_fat_entry_past_the_last_cluster)
{
    struct image im;
    struct fat_entry e;
    make_victim(&im, type, &e);
    set_fat(&im, e.first, im.vol.geo.cluster_count + 2);
    expect_refused(&im);
    image_done(&im);
}

EVERY_FAT(fs_corrupt, a_first_cluster_past_the_last)
{
    struct image im;
    struct fat_entry e;
    make_victim(&im, type, &e);
    uint32_t bad = im.vol.geo.cluster_count + 2;
    uint64_t at = (uint64_t)e.lba * FAT_SECTOR + e.off;
    poke(&im, at + 26, (uint8_t[]){(uint8_t)bad, (uint8_t)(bad >> 8)}, 2);
    poke(&im, at + 20, (uint8_t[]){(uint8_t)(bad >> 16), (uint8_t)(bad >> 24)}, 2);
    expect_refused(&im);
    image_done(&im);
}

EVERY_FAT(fs_corrupt, a_size_its_chain_cannot_hold)
{
    struct image im;
    struct fat_entry e;
    make_victim(&im, type, &e);
    poke32(&im, (uint64_t)e.lba * FAT_SECTOR + e.off + 28, 0xFFFFFFF0);
    expect_refused(&im);
    image_done(&im);
}

/* A directory whose chain loops: listing and adding end in an error. */
EVERY_FAT(fs_corrupt, a_directory_chain_that_loops)
{
    struct image im;
    image_make(&im, type);
    image_mkdir(&im, "/dir");
    image_sh("mkdir %s/src && cd %s/src && for i in $(seq 1 30); do : > \"entry number $i\"; "
             "done",
             im.dir, im.dir);
    image_sh("MTOOLS_SKIP_CHECK=1 mcopy -i %s %s/src/* ::/dir/", im.path, im.dir);
    image_mount(&im);
    struct fat_entry d;
    struct fat_stat st;
    cr_assert_eq(fat_stat(&im.vol, "/dir", &st), S_OK);
    cr_assert_eq(fat_open(&im.vol, "/dir", FAT_O_READ, &(struct fat_file){0}), FS_E_IS_DIR);
    struct fat_dir_cursor cur;
    cr_assert_eq(fat_opendir(&im.vol, "/dir", &cur), S_OK);
    d.first = cur.first;
    uint32_t last = d.first, next;
    for (;;) {
        cr_assert_eq(fat_get(&im.vol, last, &next), S_OK);
        if (next >= im.vol.geo.cluster_count + 2)
            break;
        last = next;
    }
    cr_assert_neq(last, d.first, "the directory spans clusters");
    set_fat(&im, last, d.first);
    size_t n0, n1;
    char *before = image_bytes(&im, &n0);
    image_mount(&im);
    struct fat_dirent ent;
    SCODE sc;
    sc = fat_opendir(&im.vol, "/dir", &cur);
    while (sc == S_OK)
        sc = fat_readdir(&cur, &ent);
    cr_assert_eq(sc, FS_E_CORRUPT);
    image_mount(&im);
    cr_assert_eq(fat_mkdir(&im.vol, "/dir/new"), FS_E_CORRUPT);
    cr_assert_eq(im.writes, 0);
    char *after = image_bytes(&im, &n1);
    cr_assert(n0 == n1 && memcmp(before, after, n0) == 0);
    free(before);
    free(after);
    image_done(&im);
}

struct patch {
    unsigned off, len;
    uint32_t value;
};

/* Boot sectors each with one field wrong: mount refuses, writes nothing. */
static void bad_boot(int type, const struct patch *p, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        struct image im;
        image_make(&im, type);
        uint8_t b[4] = {(uint8_t)p[i].value, (uint8_t)(p[i].value >> 8),
                        (uint8_t)(p[i].value >> 16), (uint8_t)(p[i].value >> 24)};
        poke(&im, p[i].off, b, p[i].len);
        SCODE sc = fat_mount(&im.vol, &im.dev);
        cr_assert_eq(sc, FS_E_CORRUPT, "FAT%d, %u bytes at %u = %#x: %#x", type, p[i].len, p[i].off,
                     p[i].value, (unsigned)sc);
        cr_assert_eq(fat_unmount(&im.vol), FS_E_POISONED);
        cr_assert_eq(im.writes, 0);
        image_done(&im);
    }
}

static const struct patch every_fat[] = {
    {510, 2, 0x0000}, /* no 55 AA signature */
    {0, 1, 0x00},     /* no jump */
    {11, 2, 1024},    /* bytes per sector */
    {13, 1, 3},       /* sectors per cluster: not a power of two */
    {13, 1, 0},       /* no sectors per cluster */
    {14, 2, 0},       /* no reserved sectors (the boot sector) */
    {16, 1, 0},       /* no FAT */
    {19, 2, 0xFFFF},  /* more sectors than the device (16-bit count) */
};

Test(fs_corrupt, bad_boot_sectors_fat12)
{
    bad_boot(12, every_fat, sizeof every_fat / sizeof *every_fat);
    bad_boot(12, (struct patch[]){{22, 2, 1}, {17, 2, 0}}, 2); /* FAT too small; no root */
}

Test(fs_corrupt, bad_boot_sectors_fat16)
{
    bad_boot(16, (struct patch[]){{510, 2, 0}, {22, 2, 1}, {17, 2, 3}}, 3);
}

Test(fs_corrupt, bad_boot_sectors_fat32)
{
    bad_boot(32,
             (struct patch[]){{510, 2, 0},
                              {44, 4, 0x0FFFFFF0}, /* root cluster past the end */
                              {44, 4, 1},
                              {36, 4, 1},           /* FAT too small */
                              {17, 2, 512},         /* a fixed root on FAT32 */
                              {32, 4, 0x7FFFFFFF}}, /* more sectors than the device */
             6);
}

/* A device smaller than the volume claims to be. */
Test(fs_corrupt, a_device_smaller_than_the_volume)
{
    struct image im;
    image_make(&im, 16);
    im.dev.block_count /= 2;
    cr_assert_eq(fat_mount(&im.vol, &im.dev), FS_E_CORRUPT);
    cr_assert_eq(im.writes, 0);
    image_done(&im);
}
