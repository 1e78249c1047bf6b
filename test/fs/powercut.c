/* Power cuts: a scenario of creates, writes, a directory grown, renames
 * across directories both ways, a shrink, an eviction of dirty directory
 * sectors and removes runs again and again on a fresh FAT12 image (its
 * free clusters full of garbage) whose device stops writing after N
 * sectors, for every N. fsck.fat -n may then find only what fat_cache.c's note allows (lost
 * clusters, a chain longer than its file, FATs that differ) and never a
 * cross-link, an entry on free clusters or a broken directory. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"

TestSuite(fs_powercut); /* no .timeout: Criterion 2.4 then leaks in its runner */

struct cut_dev {
    uint8_t *disk;
    uint32_t sectors;
    uint32_t budget; /* sectors written before the power goes */
    uint32_t written;
};

static int cut_read(void *ctx, uint32_t lba, uint32_t count, void *buf)
{
    struct cut_dev *d = ctx;
    memcpy(buf, d->disk + (size_t)lba * FAT_SECTOR, (size_t)count * FAT_SECTOR);
    return 0;
}

/* After the cut, writes vanish: the disk keeps what it had then. */
static int cut_write(void *ctx, uint32_t lba, uint32_t count, const void *buf)
{
    struct cut_dev *d = ctx;
    for (uint32_t i = 0; i < count; i++, d->written++)
        if (d->written < d->budget)
            memcpy(d->disk + (size_t)(lba + i) * FAT_SECTOR, (const uint8_t *)buf + i * FAT_SECTOR,
                   FAT_SECTOR);
    return 0;
}

static void put(struct fat_volume *vol, const char *path, uint32_t n, unsigned seed)
{
    static char data[40000];
    struct fat_file f;
    uint32_t got;
    image_pattern(data, n, seed);
    if (fat_open(vol, path, FAT_O_WRITE | FAT_O_CREATE, &f) == S_OK)
        fat_write(&f, data, n, &got);
}

/* Results are ignored: after the cut the code reads stale sectors back. */
static void scenario(struct fat_volume *vol)
{
    struct fat_file f;
    char name[64];
    put(vol, "/first file with a long name.bin", 12000, 1);
    fat_flush(vol);
    fat_mkdir(vol, "/dir");
    put(vol, "/dir/small", 3000, 2);
    fat_flush(vol);
    fat_rename(vol, "/first file with a long name.bin", "/dir/moved and renamed.bin");
    fat_flush(vol);
    if (fat_open(vol, "/dir/moved and renamed.bin", FAT_O_WRITE, &f) == S_OK)
        fat_set_size(&f, 5000);
    fat_flush(vol);
    for (int i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "/dir/another long file name %d", i);
        put(vol, name, 700, (unsigned)i);
    }
    put(vol, "/late big file", 12000, 99); /* evicts /dir's dirty sectors */
    fat_flush(vol);
    fat_rename(vol, "/dir/another long file name 5", "/back in the root"); /* the other way */
    fat_flush(vol);
    fat_remove(vol, "/dir/small");
    fat_remove(vol, "/dir/another long file name 3");
    fat_flush(vol);
}

static void save_cut(struct image *im, struct cut_dev *d, uint32_t cut)
{
    char path[128];
    snprintf(path, sizeof path, "%s/cut%05u.img", im->dir, cut);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(d->disk, FAT_SECTOR, d->sectors, f), d->sectors);
    fclose(f);
}

/* fsck.fat -n on every saved cut, in one shell (a fork of this sanitized
 * process per image is slow); each may report only what image_fsck_line_after_cut takes. */
static void check_cuts(struct image *im)
{
    char cmd[256], line[512], cut[16] = "";
    snprintf(cmd, sizeof cmd,
             "cd %s && for f in cut*.img; do echo \"== $f\"; "
             "PATH=$PATH:/usr/sbin:/sbin fsck.fat -n $f 2>&1; rm $f; done",
             im->dir);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    static char all[8192];
    int bad = 0;
    while (fgets(line, sizeof line, p)) {
        if (!strncmp(line, "== ", 3)) {
            cr_assert(!bad, "%s: fsck.fat says:\n%s", cut, all);
            snprintf(cut, sizeof cut, "%.12s", line + 3);
            all[0] = 0;
            continue;
        }
        bad |= !image_fsck_line_after_cut(line);
        if (strlen(all) + strlen(line) < sizeof all)
            strcat(all, line);
    }
    pclose(p);
    cr_assert(!bad, "%s: fsck.fat says:\n%s", cut, all);
}

Test(fs_powercut, every_cut_leaves_a_sound_fat12)
{
    struct image im;
    image_make(&im, 12);
    struct cut_dev d = {.sectors = im.dev.block_count, .budget = 0xFFFFFFFF};
    uint8_t *fresh = malloc((size_t)d.sectors * FAT_SECTOR);
    d.disk = malloc((size_t)d.sectors * FAT_SECTOR);
    cr_assert_eq(pread(im.fd, fresh, (size_t)d.sectors * FAT_SECTOR, 0),
                 (ssize_t)d.sectors * FAT_SECTOR);
    image_mount(&im); /* free clusters hold garbage, not mkfs's zeros */
    uint32_t data = im.vol.geo.data_lba;
    memset(fresh + (size_t)data * FAT_SECTOR, 'A', (size_t)(d.sectors - data) * FAT_SECTOR);
    struct fat_blockdev dev = {&d, cut_read, cut_write, d.sectors};
    memcpy(d.disk, fresh, (size_t)d.sectors * FAT_SECTOR);
    cr_assert_eq(fat_mount(&im.vol, &dev), S_OK);
    scenario(&im.vol);
    uint32_t total = d.written;
    cr_assert_eq(pwrite(im.fd, d.disk, (size_t)d.sectors * FAT_SECTOR, 0),
                 (ssize_t)d.sectors * FAT_SECTOR);
    image_fsck(&im); /* uncut, it is clean */
    cr_assert_gt(total, 20);
    for (uint32_t cut = 0; cut < total; cut++) {
        memcpy(d.disk, fresh, (size_t)d.sectors * FAT_SECTOR);
        d.budget = cut;
        d.written = 0;
        cr_assert_eq(fat_mount(&im.vol, &dev), S_OK);
        scenario(&im.vol);
        save_cut(&im, &d, cut);
        if (cut % 32 == 31 || cut == total - 1)
            check_cuts(&im);
    }
    free(fresh);
    free(d.disk);
    image_done(&im);
}
