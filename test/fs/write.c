/* Writing on FAT12, FAT16 and FAT32: files the FAT code makes, read back
 * with mtools, every image checked by fsck.fat -n. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

TestSuite(fs_write); /* no .timeout: Criterion 2.4 then leaks in its runner */

static void open_ok(struct image *im, const char *path, uint32_t flags, struct fat_file *f)
{
    SCODE sc = fat_open(&im->vol, path, flags, f);
    cr_assert_eq(sc, S_OK, "open %s: %#x", path, (unsigned)sc);
}

static void write_ok(struct fat_file *f, const char *data, size_t n, size_t chunk)
{
    for (size_t done = 0; done < n; done += chunk) {
        uint32_t put, want = (uint32_t)(n - done < chunk ? n - done : chunk);
        SCODE sc = fat_write(f, data + done, want, &put);
        cr_assert_eq(sc, S_OK, "write: %#x", (unsigned)sc);
        cr_assert_eq(put, want);
    }
}

/* Unmounts, fscks, and asserts mtools reads PATH as WANT. */
static void expect_mtools(struct image *im, const char *path, const char *want, size_t n)
{
    cr_assert_eq(fat_unmount(&im->vol), S_OK);
    image_fsck(im);
    size_t got;
    char *buf = image_get(im, path, &got);
    cr_assert_eq(got, n, "%s: %zu bytes, not %zu", path, got, n);
    cr_assert(memcmp(buf, want, n) == 0, "%s differs", path);
    free(buf);
}

EVERY_FAT(fs_write, create_and_read_back_with_mtools)
{
    struct image im;
    image_make(&im, type);
    image_mount(&im);
    size_t n = 100 * 1024 + 17;
    char *data = malloc(n);
    image_pattern(data, n, 5);
    struct fat_file f;
    open_ok(&im, "/a new file with a long name.txt", FAT_O_WRITE | FAT_O_CREATE, &f);
    write_ok(&f, data, n, 777);
    open_ok(&im, "/SHORT.TXT", FAT_O_WRITE | FAT_O_CREATE, &f);
    write_ok(&f, "short", 5, 5);
    open_ok(&im, "/lower.c", FAT_O_WRITE | FAT_O_CREATE, &f);
    write_ok(&f, "lower", 5, 5);
    expect_mtools(&im, "/a new file with a long name.txt", data, n);
    expect_mtools(&im, "/SHORT.TXT", "short", 5);
    expect_mtools(&im, "/lower.c", "lower", 5);
    image_sh("MTOOLS_SKIP_CHECK=1 mdir -i %s ::/ | grep -q 'a new file with a long name.txt'",
             im.path);
    free(data);
    image_done(&im);
}

EVERY_FAT(fs_write, overwrite_and_append)
{
    struct image im;
    image_make(&im, type);
    size_t n = 20000;
    char *data = malloc(n + 30000), *more = malloc(30000);
    image_pattern(data, n, 6);
    image_pattern(more, 30000, 7);
    image_put(&im, "/f.bin", data, n);
    image_mount(&im);
    struct fat_file f;
    uint64_t pos;
    open_ok(&im, "/f.bin", FAT_O_READ | FAT_O_WRITE, &f);
    cr_assert_eq(fat_seek(&f, 1000, FAT_SEEK_SET, &pos), S_OK);
    write_ok(&f, more, 3000, 1000);
    memcpy(data + 1000, more, 3000);
    cr_assert_eq(fat_seek(&f, 0, FAT_SEEK_END, &pos), S_OK);
    cr_assert_eq(pos, n);
    write_ok(&f, more, 30000, 4096);
    memcpy(data + n, more, 30000);
    expect_mtools(&im, "/f.bin", data, n + 30000);
    free(data);
    free(more);
    image_done(&im);
}

EVERY_FAT(fs_write, truncate_on_open)
{
    struct image im;
    image_make(&im, type);
    char data[9000];
    image_pattern(data, sizeof data, 8);
    image_put(&im, "/t.bin", data, sizeof data);
    image_mount(&im);
    struct fat_file f;
    open_ok(&im, "/t.bin", FAT_O_WRITE | FAT_O_TRUNCATE, &f);
    struct fat_stat st;
    cr_assert_eq(fat_file_stat(&f, &st), S_OK);
    cr_assert_eq(st.size, 0);
    expect_mtools(&im, "/t.bin", "", 0);
    image_mount(&im);
    open_ok(&im, "/t.bin", FAT_O_WRITE | FAT_O_CREATE | FAT_O_TRUNCATE, &f);
    write_ok(&f, "again", 5, 5);
    expect_mtools(&im, "/t.bin", "again", 5);
    image_done(&im);
}

/* FAT has no holes: a write past the end writes zeros before it. */
EVERY_FAT(fs_write, seek_past_end_writes_zeros)
{
    struct image im;
    image_make(&im, type);
    image_mount(&im);
    struct fat_file f;
    uint64_t pos;
    open_ok(&im, "/gap", FAT_O_WRITE | FAT_O_CREATE, &f);
    write_ok(&f, "head", 4, 4);
    cr_assert_eq(fat_seek(&f, 5000, FAT_SEEK_CUR, &pos), S_OK);
    write_ok(&f, "tail", 4, 4);
    char want[5008] = "head";
    memcpy(want + 5004, "tail", 4);
    expect_mtools(&im, "/gap", want, sizeof want);
    image_done(&im);
}

EVERY_FAT(fs_write, set_size_shrinks_and_grows)
{
    struct image im;
    image_make(&im, type);
    size_t n = 60000;
    char *data = malloc(n);
    image_pattern(data, n, 9);
    image_put(&im, "/s.bin", data, n);
    image_mount(&im);
    struct fat_file f;
    open_ok(&im, "/s.bin", FAT_O_READ | FAT_O_WRITE, &f);
    cr_assert_eq(fat_set_size(&f, 1500), S_OK);
    expect_mtools(&im, "/s.bin", data, 1500); /* fsck: no lost clusters */
    image_mount(&im);
    open_ok(&im, "/s.bin", FAT_O_READ | FAT_O_WRITE, &f);
    cr_assert_eq(fat_set_size(&f, 7000), S_OK);
    memset(data + 1500, 0, 5500);
    expect_mtools(&im, "/s.bin", data, 7000);
    image_mount(&im);
    open_ok(&im, "/s.bin", FAT_O_READ | FAT_O_WRITE, &f);
    cr_assert_eq(fat_set_size(&f, 0), S_OK);
    expect_mtools(&im, "/s.bin", "", 0);
    free(data);
    image_done(&im);
}

/* A full disk: as much as fits is written, the rest refused, the image sound. */
Test(fs_write, full_disk)
{
    struct image im;
    image_make(&im, 12);
    image_mount(&im);
    size_t n = 2 * 1024 * 1024;
    char *data = malloc(n);
    image_pattern(data, n, 10);
    struct fat_file f;
    uint32_t put;
    open_ok(&im, "/huge", FAT_O_WRITE | FAT_O_CREATE, &f);
    cr_assert_eq(fat_write(&f, data, (uint32_t)n, &put), FS_E_FULL);
    cr_assert(put > 900 * 1024 && put < n, "wrote %u", put);
    uint32_t huge = put;
    struct fat_file g;
    open_ok(&im, "/more", FAT_O_WRITE | FAT_O_CREATE, &g);
    cr_assert_eq(fat_write(&g, data, 10, &put), FS_E_FULL);
    cr_assert_eq(put, 0);
    cr_assert_eq(fat_set_size(&g, 10), FS_E_FULL);
    cr_assert_eq(fat_mkdir(&im.vol, "/d"), FS_E_FULL);
    expect_mtools(&im, "/huge", data, huge);
    free(data);
    image_done(&im);
}

/* A directory grows by clusters; same-basis long names get ~1, ~2, ... */
EVERY_FAT(fs_write, many_files_grow_a_directory)
{
    struct image im;
    image_make(&im, type);
    image_mkdir(&im, "/dir");
    image_mount(&im);
    char name[64];
    struct fat_file f;
    for (int i = 0; i < 50; i++) {
        snprintf(name, sizeof name,
                 i % 3 ? "/dir/Same Basis Long Name %02d.txt" : "/dir/Same Basis %02d.txt",
                 i); /* 4 and 3 entries: gaps at sector ends */
        open_ok(&im, name, FAT_O_WRITE | FAT_O_CREATE, &f);
        write_ok(&f, name, strlen(name), 64);
    }
    cr_assert_eq(fat_unmount(&im.vol), S_OK);
    image_fsck(&im);
    image_sh("test $(MTOOLS_SKIP_CHECK=1 mdir -b -i %s ::/dir/ | wc -l) = 50", im.path);
    image_mount(&im);
    snprintf(name, sizeof name, "/dir/Same Basis %02d.txt", 48);
    expect_mtools(&im, name, name, strlen(name));
    image_done(&im);
}

EVERY_FAT(fs_write, open_errors)
{
    struct image im;
    image_make(&im, type);
    image_mount(&im);
    struct fat_file f;
    cr_assert_eq(fat_open(&im.vol, "/none", FAT_O_WRITE, &f), FS_E_NOT_FOUND);
    cr_assert_eq(fat_open(&im.vol, "/none", FAT_O_CREATE, &f), FS_E_ACCESS);
    cr_assert_eq(fat_open(&im.vol, "/no/such", FAT_O_WRITE | FAT_O_CREATE, &f), FS_E_NOT_FOUND);
    uint64_t pos;
    open_ok(&im, "/x", FAT_O_WRITE | FAT_O_CREATE, &f);
    cr_assert_eq(fat_seek(&f, 0xFFFFFFFFll, FAT_SEEK_SET, &pos), S_OK);
    uint32_t put;
    cr_assert_eq(fat_write(&f, "ab", 2, &put), FS_E_TOO_BIG);
    cr_assert_eq(fat_set_size(&f, 0x100000000ull), FS_E_TOO_BIG);
    cr_assert_eq(fat_unmount(&im.vol), S_OK);
    image_fsck(&im);
    image_done(&im);
}

/* FAT32's top 4 bits of an entry are reserved: changing an entry keeps them. */
Test(fs_write, fat32_keeps_reserved_high_bits)
{
    struct image im;
    image_make(&im, 32);
    char data[3000];
    image_pattern(data, sizeof data, 3);
    image_put(&im, "/f", data, sizeof data); /* clusters 3..8 (2 is the root) */
    image_mount(&im);
    uint8_t sector[512];
    uint32_t lba = im.vol.geo.fat_lba;
    cr_assert_eq(im.dev.read_blocks(&im, lba, 1, sector), 0);
    for (int c = 3; c <= 8; c++)
        sector[c * 4 + 3] |= 0xF0;
    cr_assert_eq(im.dev.write_blocks(&im, lba, 1, sector), 0);
    image_mount(&im);
    struct fat_file f;
    uint64_t pos;
    open_ok(&im, "/f", FAT_O_WRITE, &f);
    cr_assert_eq(fat_seek(&f, 0, FAT_SEEK_END, &pos), S_OK);
    write_ok(&f, data, sizeof data, sizeof data); /* 8 now links on */
    cr_assert_eq(fat_unmount(&im.vol), S_OK);
    cr_assert_eq(im.dev.read_blocks(&im, lba, 1, sector), 0);
    for (int c = 3; c <= 8; c++)
        cr_assert_eq(sector[c * 4 + 3] & 0xF0, 0xF0, "cluster %d", c);
    cr_assert_neq(sector[8 * 4 + 3] & 0x0F, 0x0F, "cluster 8 is no longer the end");
    image_done(&im);
}

/* FAT32 cluster numbers past 16 bits: an entry's high word (FSInfo's
 * next-free hint sends the allocation there). */
Test(fs_write, fat32_clusters_past_65535)
{
    struct image im;
    image_make(&im, 32);
    image_mount(&im);
    uint8_t sector[512];
    uint32_t lba = im.vol.geo.fsinfo_lba;
    cr_assert_neq(lba, 0);
    cr_assert_eq(im.dev.read_blocks(&im, lba, 1, sector), 0);
    uint32_t hint = 70000;
    memcpy(sector + 492, &hint, 4);
    cr_assert_eq(im.dev.write_blocks(&im, lba, 1, sector), 0);
    image_mount(&im);
    char data[5000];
    image_pattern(data, sizeof data, 13);
    struct fat_file f;
    open_ok(&im, "/high", FAT_O_WRITE | FAT_O_CREATE, &f);
    write_ok(&f, data, sizeof data, sizeof data);
    cr_assert_geq(f.ent.first, 70000);
    expect_mtools(&im, "/high", data, sizeof data);
    image_mount(&im);
    char back[5000];
    uint32_t got;
    open_ok(&im, "/high", FAT_O_READ, &f);
    cr_assert_eq(fat_read(&f, back, sizeof back, &got), S_OK);
    cr_assert(got == sizeof back && memcmp(back, data, got) == 0);
    image_done(&im);
}
