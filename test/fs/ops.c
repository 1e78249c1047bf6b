/* Whole-name operations on FAT12, FAT16 and FAT32: make directory,
 * remove, rename and move, and listings of what the FAT code made; mtools
 * and fsck.fat -n judge the images. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

TestSuite(fs_ops); /* no .timeout: Criterion 2.4 then leaks in its runner */

static void make_file(struct image *im, const char *path, const char *text)
{
    struct fat_file f;
    uint32_t put;
    cr_assert_eq(fat_open(&im->vol, path, FAT_O_WRITE | FAT_O_CREATE, &f), S_OK, "%s", path);
    cr_assert_eq(fat_write(&f, text, (uint32_t)strlen(text), &put), S_OK);
}

static void expect_text(struct image *im, const char *path, const char *want)
{
    size_t n;
    char *buf = image_get(im, path, &n);
    cr_assert(n == strlen(want) && memcmp(buf, want, n) == 0, "%s", path);
    free(buf);
}

static void settle(struct image *im)
{
    cr_assert_eq(fat_unmount(&im->vol), S_OK);
    image_fsck(im);
}

EVERY_FAT(fs_ops, make_directories)
{
    struct image im;
    image_make(&im, type);
    image_mount(&im);
    cr_assert_eq(fat_mkdir(&im.vol, "/top"), S_OK);
    cr_assert_eq(fat_mkdir(&im.vol, "/top/A Long Directory Name"), S_OK);
    cr_assert_eq(fat_mkdir(&im.vol, "/top"), FS_E_EXISTS);
    cr_assert_eq(fat_mkdir(&im.vol, "/none/x"), FS_E_NOT_FOUND);
    make_file(&im, "/top/A Long Directory Name/inside.txt", "inside");
    struct fat_stat st;
    cr_assert_eq(fat_stat(&im.vol, "/top/a long directory name", &st), S_OK);
    cr_assert(st.attr & FAT_ATTR_DIR);
    settle(&im); /* fsck checks "." and ".." */
    expect_text(&im, "/top/A Long Directory Name/inside.txt", "inside");
    image_mkdir(&im, "/top/A Long Directory Name/by mtools");
    image_fsck(&im);
    image_done(&im);
}

EVERY_FAT(fs_ops, remove_files_and_empty_directories)
{
    struct image im;
    image_make(&im, type);
    char data[20000];
    image_pattern(data, sizeof data, 11);
    image_put(&im, "/a file to remove.bin", data, sizeof data);
    image_mkdir(&im, "/full");
    image_put(&im, "/full/x", "x", 1);
    image_mkdir(&im, "/empty");
    image_mount(&im);
    cr_assert_eq(fat_remove(&im.vol, "/a file to remove.bin"), S_OK);
    cr_assert_eq(fat_remove(&im.vol, "/a file to remove.bin"), FS_E_NOT_FOUND);
    cr_assert_eq(fat_remove(&im.vol, "/full"), FS_E_NOT_EMPTY);
    cr_assert_eq(fat_remove(&im.vol, "/empty"), S_OK);
    cr_assert_eq(fat_remove(&im.vol, "/"), FS_E_BAD_NAME);
    struct fat_dir_cursor cur;
    struct fat_dirent d;
    cr_assert_eq(fat_opendir(&im.vol, "/", &cur), S_OK);
    cr_assert_eq(fat_readdir(&cur, &d), S_OK);
    cr_assert_str_eq(d.name, "full");
    cr_assert_eq(fat_readdir(&cur, &d), S_FALSE);
    settle(&im); /* the clusters are free again: no lost ones */
    image_sh("! MTOOLS_SKIP_CHECK=1 mdir -i %s '::/a file to remove.bin' >/dev/null 2>&1", im.path);
    image_mount(&im);
    cr_assert_eq(fat_remove(&im.vol, "/full/x"), S_OK);
    cr_assert_eq(fat_remove(&im.vol, "/full"), S_OK);
    settle(&im);
    image_done(&im);
}

EVERY_FAT(fs_ops, rename_in_a_directory_and_across)
{
    struct image im;
    image_make(&im, type);
    image_put(&im, "/old name.txt", "content", 7);
    image_mkdir(&im, "/d1");
    image_mkdir(&im, "/d2");
    image_mount(&im);
    cr_assert_eq(fat_rename(&im.vol, "/old name.txt", "/NEW.TXT"), S_OK);
    cr_assert_eq(fat_rename(&im.vol, "/NEW.TXT", "/d1/a much longer new name.txt"), S_OK);
    make_file(&im, "/d2/taken", "t");
    cr_assert_eq(fat_rename(&im.vol, "/d2/taken", "/d1/a much longer new name.txt"), FS_E_EXISTS);
    cr_assert_eq(fat_rename(&im.vol, "/missing", "/d2/y"), FS_E_NOT_FOUND);
    settle(&im);
    expect_text(&im, "/d1/a much longer new name.txt", "content");
    image_sh("! MTOOLS_SKIP_CHECK=1 mdir -i %s '::/old name.txt' >/dev/null 2>&1", im.path);
    image_done(&im);
}

/* A moved directory's ".." follows it; it cannot move into itself. */
EVERY_FAT(fs_ops, move_a_directory)
{
    struct image im;
    image_make(&im, type);
    image_mkdir(&im, "/a");
    image_mkdir(&im, "/a/b");
    image_mkdir(&im, "/c");
    image_put(&im, "/a/b/f", "f", 1);
    image_mount(&im);
    cr_assert_eq(fat_rename(&im.vol, "/a", "/a/b/a"), E_INVALIDARG);
    cr_assert_eq(fat_rename(&im.vol, "/a", "/a/x"), E_INVALIDARG);
    cr_assert_eq(fat_rename(&im.vol, "/a/b", "/c/moved b"), S_OK);
    cr_assert_eq(fat_rename(&im.vol, "/c", "/a/c"), S_OK);
    settle(&im); /* fsck checks every ".." */
    expect_text(&im, "/a/c/moved b/f", "f");
    image_mkdir(&im, "/a/c/moved b/more");
    image_fsck(&im);
    image_done(&im);
}
