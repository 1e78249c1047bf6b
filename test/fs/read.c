/* Reading what mtools put on FAT12, FAT16 and FAT32 images: short and
 * long names, nested directories, files of many clusters, empty files,
 * listings, and the lookup errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

TestSuite(fs_read); /* no .timeout: Criterion 2.4 then leaks in its runner */

/* Opens PATH and asserts its bytes are WANT. */
static void expect_file(struct image *im, const char *path, const char *want, size_t n)
{
    struct fat_file f;
    SCODE sc = fat_open(&im->vol, path, FAT_O_READ, &f);
    cr_assert_eq(sc, S_OK, "open %s: %#x", path, (unsigned)sc);
    char *buf = malloc(n + 1000);
    size_t total = 0;
    uint32_t got;
    do { /* odd chunks cross sector and cluster boundaries */
        sc = fat_read(&f, buf + total, 777, &got);
        cr_assert_eq(sc, S_OK);
        total += got;
    } while (got);
    cr_assert_eq(total, n, "%s: %zu bytes, not %zu", path, total, n);
    cr_assert(memcmp(buf, want, n) == 0, "%s differs", path);
    free(buf);
}

EVERY_FAT(fs_read, short_and_long_names)
{
    struct image im;
    image_make(&im, type);
    const char *names[] = {"/UPPER.TXT", "/lower.txt", "/A long name.text",
                           "/a.very.long.file name, with spaces and more than 26 chars.data"};
    for (int i = 0; i < 4; i++)
        image_put(&im, names[i], names[i], strlen(names[i]));
    image_mount(&im);
    for (int i = 0; i < 4; i++)
        expect_file(&im, names[i], names[i], strlen(names[i]));
    expect_file(&im, "/a LONG name.TEXT", names[2], strlen(names[2])); /* any case */
    expect_file(&im, "/ALONGN~1.TEX", names[2], strlen(names[2]));     /* its short name */
    expect_file(&im, "upper.txt", names[0], strlen(names[0]));
    cr_assert_eq(im.writes, 0);
    image_done(&im);
}

EVERY_FAT(fs_read, nested_directories)
{
    struct image im;
    image_make(&im, type);
    image_mkdir(&im, "/d1");
    image_mkdir(&im, "/d1/Second Level");
    image_mkdir(&im, "/d1/Second Level/third");
    image_put(&im, "/d1/Second Level/third/deep file.bin", "deep", 4);
    image_put(&im, "/d1/one.txt", "one", 3);
    image_mount(&im);
    expect_file(&im, "/d1/Second Level/third/deep file.bin", "deep", 4);
    expect_file(&im, "d1/one.txt", "one", 3);
    struct fat_stat st;
    cr_assert_eq(fat_stat(&im.vol, "/d1/second level", &st), S_OK);
    cr_assert(st.attr & FAT_ATTR_DIR);
    cr_assert_eq(fat_stat(&im.vol, "/", &st), S_OK);
    cr_assert(st.attr & FAT_ATTR_DIR);
    image_done(&im);
}

EVERY_FAT(fs_read, files_of_many_clusters)
{
    struct image im;
    image_make(&im, type);
    size_t n = 300 * 1024 + 123;
    char *data = malloc(n);
    image_pattern(data, n, 1);
    image_put(&im, "/big.bin", data, n);
    image_put(&im, "/second.bin", data + 5, 70000);
    image_mount(&im);
    expect_file(&im, "/big.bin", data, n);
    expect_file(&im, "/second.bin", data + 5, 70000);
    struct fat_file f;
    cr_assert_eq(fat_open(&im.vol, "/big.bin", FAT_O_READ, &f), S_OK);
    char buf[600];
    uint32_t got;
    uint64_t pos;
    cr_assert_eq(fat_seek(&f, 200000, FAT_SEEK_SET, &pos), S_OK); /* backwards after forwards */
    cr_assert_eq(fat_read(&f, buf, 600, &got), S_OK);
    cr_assert(got == 600 && memcmp(buf, data + 200000, 600) == 0);
    cr_assert_eq(fat_seek(&f, -150000, FAT_SEEK_CUR, &pos), S_OK);
    cr_assert_eq(fat_read(&f, buf, 600, &got), S_OK);
    cr_assert(got == 600 && memcmp(buf, data + 50600, 600) == 0);
    cr_assert_eq(fat_seek(&f, -10, FAT_SEEK_END, &pos), S_OK);
    cr_assert_eq(fat_read(&f, buf, 600, &got), S_OK);
    cr_assert(got == 10 && memcmp(buf, data + n - 10, 10) == 0);
    cr_assert_eq(fat_seek(&f, -1, FAT_SEEK_SET, &pos), FS_E_BAD_SEEK);
    free(data);
    image_done(&im);
}

EVERY_FAT(fs_read, empty_files)
{
    struct image im;
    image_make(&im, type);
    image_put(&im, "/empty", "", 0);
    image_mount(&im);
    expect_file(&im, "/empty", "", 0);
    struct fat_stat st;
    cr_assert_eq(fat_stat(&im.vol, "/empty", &st), S_OK);
    cr_assert_eq(st.size, 0);
    image_done(&im);
}

/* A directory of several clusters, names of up to three long-name parts. */
EVERY_FAT(fs_read, listing)
{
    struct image im;
    image_make(&im, type);
    image_mkdir(&im, "/many");
    image_sh("mkdir %s/src", im.dir);
    for (int i = 0; i < 40; i++)
        image_sh("printf '%*s' > '%s/src/listed file number %02d.txt'", i, "", im.dir, i);
    image_sh("MTOOLS_SKIP_CHECK=1 mcopy -i %s %s/src/* ::/many/", im.path, im.dir);
    image_mount(&im);
    struct fat_dir_cursor cur;
    struct fat_dirent d;
    int seen[40] = {0}, count = 0;
    cr_assert_eq(fat_opendir(&im.vol, "/many", &cur), S_OK);
    while (fat_readdir(&cur, &d) == S_OK) {
        int i;
        cr_assert_eq(sscanf(d.name, "listed file number %d.txt", &i), 1, "%s", d.name);
        cr_assert_eq(d.size, (uint32_t)i);
        seen[i]++;
        count++;
    }
    cr_assert_eq(count, 40);
    for (int i = 0; i < 40; i++)
        cr_assert_eq(seen[i], 1);
    cr_assert_eq(fat_opendir(&im.vol, "/", &cur), S_OK);
    cr_assert_eq(fat_readdir(&cur, &d), S_OK);
    cr_assert_str_eq(d.name, "many");
    cr_assert(d.attr & FAT_ATTR_DIR);
    cr_assert_eq(fat_readdir(&cur, &d), S_FALSE);
    image_done(&im);
}

EVERY_FAT(fs_read, lookup_errors)
{
    struct image im;
    image_make(&im, type);
    image_mkdir(&im, "/dir");
    image_put(&im, "/file", "x", 1);
    image_mount(&im);
    struct fat_file f;
    struct fat_dir_cursor cur;
    cr_assert_eq(fat_open(&im.vol, "/nothing", FAT_O_READ, &f), FS_E_NOT_FOUND);
    cr_assert_eq(fat_open(&im.vol, "/dir/nothing", FAT_O_READ, &f), FS_E_NOT_FOUND);
    cr_assert_eq(fat_open(&im.vol, "/file/x", FAT_O_READ, &f), FS_E_NOT_DIR);
    cr_assert_eq(fat_open(&im.vol, "/dir", FAT_O_READ, &f), FS_E_IS_DIR);
    cr_assert_eq(fat_opendir(&im.vol, "/file", &cur), FS_E_NOT_DIR);
    cr_assert_eq(fat_open(&im.vol, "/file", FAT_O_READ, &f), S_OK);
    uint32_t put;
    cr_assert_eq(fat_write(&f, "y", 1, &put), FS_E_ACCESS);
    cr_assert_eq(im.writes, 0);
    image_done(&im);
}

/* FAT32's entries are 28 bits: the top 4 are reserved, and readers mask them. */
Test(fs_read, fat32_ignores_reserved_high_bits)
{
    struct image im;
    image_make(&im, 32);
    char data[3000];
    image_pattern(data, sizeof data, 3);
    image_put(&im, "/f", data, sizeof data); /* clusters 3.. (2 is the root) */
    image_mount(&im);
    uint8_t sector[512];
    uint32_t lba = im.vol.geo.fat_lba;
    cr_assert_eq(im.dev.read_blocks(&im, lba, 1, sector), 0);
    for (int c = 3; c < 8; c++)
        sector[c * 4 + 3] |= 0xF0;
    cr_assert_eq(im.dev.write_blocks(&im, lba, 1, sector), 0);
    image_mount(&im);
    expect_file(&im, "/f", data, sizeof data);
    image_done(&im);
}

/* Long-name parts out of order are not a name: the short one stands. */
Test(fs_read, long_name_parts_out_of_order)
{
    struct image im;
    image_make(&im, 16);
    const char *name = "/a name of three long-name parts.txt"; /* 35 chars */
    image_put(&im, name, "x", 1);
    image_mount(&im);
    uint8_t sector[512];
    uint32_t lba = im.vol.geo.root_lba;
    cr_assert_eq(im.dev.read_blocks(&im, lba, 1, sector), 0);
    cr_assert_eq(sector[0], 0x43); /* parts 3, 2, 1, then the short entry */
    sector[32] = 0x01;             /* 3, 1, 1 */
    cr_assert_eq(im.dev.write_blocks(&im, lba, 1, sector), 0);
    image_mount(&im);
    struct fat_file f;
    cr_assert_eq(fat_open(&im.vol, name, FAT_O_READ, &f), FS_E_NOT_FOUND);
    struct fat_dir_cursor cur;
    struct fat_dirent d;
    cr_assert_eq(fat_opendir(&im.vol, "/", &cur), S_OK);
    cr_assert_eq(fat_readdir(&cur, &d), S_OK);
    cr_assert_str_eq(d.name, "ANAMEO~1.TXT");
    image_done(&im);
}

/* A part numbered 0 after a whole long name: ignored, not written before
 * the name's buffer. */
Test(fs_read, long_name_part_zero)
{
    struct image im;
    image_make(&im, 16);
    image_put(&im, "/a name of three long-name parts.txt", "x", 1);
    image_mount(&im);
    uint8_t sector[512];
    uint32_t lba = im.vol.geo.root_lba;
    cr_assert_eq(im.dev.read_blocks(&im, lba, 1, sector), 0);
    sector[0] = 0x41;  /* a whole name of one part, */
    sector[32] = 0x20; /* then a part 0 (0x20 & 0x1F), then 1 */
    cr_assert_eq(im.dev.write_blocks(&im, lba, 1, sector), 0);
    image_mount(&im);
    struct fat_dir_cursor cur;
    struct fat_dirent d;
    cr_assert_eq(fat_opendir(&im.vol, "/", &cur), S_OK);
    cr_assert_eq(fat_readdir(&cur, &d), S_OK);
    cr_assert_str_eq(d.name, "ANAMEO~1.TXT");
    image_done(&im);
}
