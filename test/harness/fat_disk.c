/* FAT images for the fs_* guest tests (guest.h): made by mkfs.fat with a
 * file mcopy put in, judged after the run by fsck.fat -n and mtools. */
#include "guest.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *guest_sbin(const char *tool)
{
    static char path[64];
    const char *dirs[] = {"/usr/sbin", "/sbin"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dirs[i], tool);
        if (access(path, X_OK) == 0)
            return path;
    }
    return tool;
}

static int sh(const char *fmt, const char *a, const char *b)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    return system(cmd);
}

void guest_make_fat_disk(const char *path)
{
    guest_make_fat_disk_of(path, 16);
}

void guest_make_fat_disk_of(const char *path, int type)
{
    /* FAT12: 4 MiB, 4 sectors a cluster; FAT16: 8 MiB; FAT32: 36 MiB,
     * mkfs.fat's smallest with clusters of one sector */
    const char *opts = type == 12   ? "-F 12 -s 4 -C '%s' 4096"
                       : type == 32 ? "-F 32 -s 1 -C '%s' 36000"
                                    : "-F 16 -s 1 -C '%s' 8192";
    char mkfs[128];
    char hello[4200];
    snprintf(hello, sizeof hello, "%s.hello", path);
    FILE *f = fopen(hello, "w");
    cr_assert_not_null(f, "%s", hello);
    fputs(GUEST_FAT_HELLO, f);
    fclose(f);
    unlink(path);
    snprintf(mkfs, sizeof mkfs, "%%s %s >/dev/null", opts);
    cr_assert_eq(sh(mkfs, guest_sbin("mkfs.fat"), path), 0);
    cr_assert_eq(sh("MTOOLS_SKIP_CHECK=1 mcopy -i '%s' '%s' ::HELLO.TXT", path, hello), 0);
    unlink(hello);
}

void guest_check_fat_disk(const char *path)
{
    cr_expect_eq(sh("%s -n '%s' >/dev/null", guest_sbin("fsck.fat"), path), 0,
                 "fsck.fat -n %s finds something to fix", path);
    char cmd[8192], got[64] = "";
    snprintf(cmd, sizeof cmd, "MTOOLS_SKIP_CHECK=1 mtype -i '%s' '::written by the guest.txt'",
             path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(got, 1, sizeof got - 1, p);
    got[n] = '\0';
    pclose(p);
    cr_expect_str_eq(got, GUEST_FAT_LEFT, "%s: what the guest wrote", path);
    const char *dirs[] = {GUEST_FAT_DIR, GUEST_FAT_DIR " 2"};
    for (int i = 0; i < 2; i++)
        cr_expect_eq(sh("MTOOLS_SKIP_CHECK=1 mdir -i '%s' '::%s' >/dev/null", path, dirs[i]), 0,
                     "%s: no directory \"%s\"", path, dirs[i]);
}

bool guest_fat_disk_sound(const char *path)
{
    return sh("%s -n '%s' >/dev/null", guest_sbin("fsck.fat"), path) == 0;
}

bool guest_fat_has_dir(const char *path, const char *dir)
{
    return sh("MTOOLS_SKIP_CHECK=1 mdir -i '%s' '::%s' >/dev/null", path, dir) == 0;
}
