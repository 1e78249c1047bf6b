/* Path names FAT cannot take: empty, an empty component, ".", "..", a
 * component over 255 bytes or a path over 260, control characters and
 * *?<>|":\ are refused by every operation, with nothing written. */
#include <criterion/criterion.h>
#include <string.h>

#include "image.h"

TestSuite(fs_names); /* no .timeout: Criterion 2.4 then leaks in its runner */

/* Every operation that takes a path refuses PATH with WANT. */
static void refused(struct image *im, const char *path, SCODE want)
{
    struct fat_file f;
    struct fat_stat st;
    cr_assert_eq(fat_open(&im->vol, path, FAT_O_WRITE | FAT_O_CREATE, &f), want, "open '%s'", path);
    cr_assert_eq(fat_mkdir(&im->vol, path), want, "mkdir '%s'", path);
    cr_assert_eq(fat_stat(&im->vol, path, &st), want, "stat '%s'", path);
    cr_assert_eq(fat_remove(&im->vol, path), want, "remove '%s'", path);
    cr_assert_eq(fat_rename(&im->vol, "/ok", path), want, "rename to '%s'", path);
}

Test(fs_names, refused)
{
    struct image im;
    image_make(&im, 16);
    image_put(&im, "/ok", "ok", 2);
    image_mount(&im);
    const char *bad[] = {"",       "/a//b", "//",     "/.",    "/..",     "/a/../b",  "/a*",
                         "/a?",    "/a<b",  "/a>b",   "/a|b",  "/a\"",    "/a:b",     "/a\\b",
                         "/a\x01", "/\x1f", "/a\x7f", "/dot.", "/space ", "/\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        refused(&im, bad[i], FS_E_BAD_NAME);
    char name[300] = "/";
    memset(name + 1, 'n', 256);
    refused(&im, name, FS_E_NAME_TOO_LONG); /* a 256-byte component */
    char path[300] = "";
    for (int i = 0; i < 27; i++)
        strcat(path, "/directory"); /* 270 bytes */
    refused(&im, path, FS_E_NAME_TOO_LONG);
    struct fat_file f;
    cr_assert_eq(fat_open(&im.vol, "/new/", FAT_O_WRITE | FAT_O_CREATE, &f), FS_E_BAD_NAME);
    cr_assert_eq(fat_rename(&im.vol, "/ok", "/"), FS_E_BAD_NAME);
    cr_assert_eq(fat_unmount(&im.vol), S_OK);
    cr_assert_eq(im.writes, 0);
    image_done(&im);
}

/* The longest name FAT takes, 255 bytes, in 20 long-name entries. */
Test(fs_names, longest_name)
{
    struct image im;
    image_make(&im, 12);
    image_mount(&im);
    char name[300] = "/";
    for (int i = 1; i <= 255; i++)
        name[i] = (char)('a' + i % 26);
    struct fat_file f;
    uint32_t put;
    cr_assert_eq(fat_open(&im.vol, name, FAT_O_WRITE | FAT_O_CREATE, &f), S_OK);
    cr_assert_eq(fat_write(&f, "long", 4, &put), S_OK);
    cr_assert_eq(fat_unmount(&im.vol), S_OK);
    image_fsck(&im);
    image_sh("MTOOLS_SKIP_CHECK=1 mtype -i %s '::%s' | grep -qx long", im.path, name);
    image_done(&im);
}
