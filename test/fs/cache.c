/* The sector cache with memory to spare: files read in runs of sectors
 * (read-ahead), read again from the cache, written back in runs, with the
 * device's requests counted by the image, not by the cache. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

TestSuite(fs_cache);

enum { FILE_BYTES = 256 * 1024, SLOTS = 1024, RUN = 64 };

static void read_all(struct fat_volume *vol, const char *path, char *out, uint32_t piece)
{
    struct fat_file f;
    uint32_t got, at = 0;
    cr_assert_eq(fat_open(vol, path, FAT_O_READ, &f), S_OK);
    do {
        cr_assert_eq(fat_read(&f, out + at, piece, &got), S_OK);
        at += got;
    } while (got);
    cr_assert_eq(at, FILE_BYTES);
}

Test(fs_cache, reads_ahead_in_runs_and_again_from_the_cache)
{
    struct image im;
    char *data = malloc(FILE_BYTES), *back = malloc(FILE_BYTES);
    image_make(&im, 16);
    image_pattern(data, FILE_BYTES, 5);
    image_put(&im, "/big.bin", data, FILE_BYTES);
    image_mount_cached(&im, SLOTS, RUN);
    unsigned before = im.read_calls;
    read_all(&im.vol, "/big.bin", back, 4096);
    cr_assert(memcmp(back, data, FILE_BYTES) == 0);
    /* 512 sectors in runs of 64, and a few FAT and directory sectors */
    unsigned calls = im.read_calls - before;
    cr_assert_leq(calls, FILE_BYTES / (RUN * FAT_SECTOR) + 8, "%u reads", calls);
    before = im.read_calls;
    memset(back, 0, FILE_BYTES);
    read_all(&im.vol, "/big.bin", back, 1000);
    cr_assert(memcmp(back, data, FILE_BYTES) == 0);
    cr_assert_eq(im.read_calls, before, "the second read is the cache's");
    free(data);
    free(back);
    image_done(&im);
}

Test(fs_cache, read_ahead_stops_at_a_gap_in_the_chain)
{
    struct image im;
    char *a = malloc(FILE_BYTES), *b = malloc(FILE_BYTES), *back = malloc(FILE_BYTES);
    image_make(&im, 16);
    image_mount_cached(&im, SLOTS, RUN);
    /* two files written a cluster at a time in turn: each one's clusters
     * alternate with the other's, so no two of a file's are adjacent */
    struct fat_file fa, fb;
    uint32_t put;
    image_pattern(a, FILE_BYTES, 1);
    image_pattern(b, FILE_BYTES, 2);
    cr_assert_eq(fat_open(&im.vol, "/a", FAT_O_WRITE | FAT_O_CREATE, &fa), S_OK);
    cr_assert_eq(fat_open(&im.vol, "/b", FAT_O_WRITE | FAT_O_CREATE, &fb), S_OK);
    for (uint32_t at = 0; at < FILE_BYTES; at += FAT_SECTOR) {
        cr_assert_eq(fat_write(&fa, a + at, FAT_SECTOR, &put), S_OK);
        cr_assert_eq(fat_write(&fb, b + at, FAT_SECTOR, &put), S_OK);
    }
    cr_assert_eq(fat_flush(&im.vol), S_OK);
    image_mount_cached(&im, SLOTS, RUN); /* an empty cache */
    unsigned before = im.sectors_read;
    read_all(&im.vol, "/a", back, 4096);
    cr_assert(memcmp(back, a, FILE_BYTES) == 0, "interleaved clusters read back wrong");
    /* none of b's sectors: the FAT's and the directory's beside a's */
    unsigned sectors = im.sectors_read - before;
    cr_assert_leq(sectors, FILE_BYTES / FAT_SECTOR + 8, "%u sectors read", sectors);
    image_fsck(&im);
    free(a);
    free(b);
    free(back);
    image_done(&im);
}

Test(fs_cache, writes_back_in_runs_in_order)
{
    struct image im;
    char *data = malloc(FILE_BYTES);
    image_make(&im, 16);
    image_mount_cached(&im, SLOTS, RUN);
    image_pattern(data, FILE_BYTES, 9);
    struct fat_file f;
    uint32_t put;
    cr_assert_eq(fat_open(&im.vol, "/new.bin", FAT_O_WRITE | FAT_O_CREATE, &f), S_OK);
    unsigned before = im.write_calls;
    for (uint32_t at = 0; at < FILE_BYTES; at += 8192)
        cr_assert_eq(fat_write(&f, data + at, 8192, &put), S_OK);
    cr_assert_eq(im.write_calls, before, "nothing is written before the flush");
    cr_assert_eq(fat_flush(&im.vol), S_OK);
    /* the data in runs of 64 sectors, the FAT's sectors (2 copies) and
     * the directory's */
    unsigned calls = im.write_calls - before;
    cr_assert_leq(calls, FILE_BYTES / (RUN * FAT_SECTOR) + 6, "%u writes", calls);
    size_t n;
    char *back = image_get(&im, "/new.bin", &n);
    cr_assert_eq(n, FILE_BYTES);
    cr_assert(memcmp(back, data, FILE_BYTES) == 0);
    image_fsck(&im);
    free(back);
    free(data);
    image_done(&im);
}

Test(fs_cache, a_full_cache_writes_its_oldest_in_runs)
{
    struct image im;
    char *data = malloc(FILE_BYTES);
    image_make(&im, 16);
    image_mount_cached(&im, 128, 32); /* holds a quarter of the file */
    image_pattern(data, FILE_BYTES, 3);
    struct fat_file f;
    uint32_t put;
    cr_assert_eq(fat_open(&im.vol, "/new.bin", FAT_O_WRITE | FAT_O_CREATE, &f), S_OK);
    cr_assert_eq(fat_write(&f, data, FILE_BYTES, &put), S_OK);
    cr_assert_eq(fat_flush(&im.vol), S_OK);
    /* each eviction writes the FAT first, then a run of up to 32 */
    cr_assert_leq(im.write_calls, 3 * FILE_BYTES / (32 * FAT_SECTOR) + 6, "%u writes",
                  im.write_calls);
    size_t n;
    char *back = image_get(&im, "/new.bin", &n);
    cr_assert(n == FILE_BYTES && memcmp(back, data, FILE_BYTES) == 0);
    image_fsck(&im);
    free(back);
    free(data);
    image_done(&im);
}

/* The cache alone, on a device that logs the order of what it writes. */
static uint32_t written[64], nwritten;

static int log_read(void *ctx, uint32_t lba, uint32_t count, void *buf)
{
    (void)ctx, (void)lba;
    memset(buf, 0, (size_t)count * FAT_SECTOR);
    return 0;
}

static int log_write(void *ctx, uint32_t lba, uint32_t count, const void *buf)
{
    (void)ctx, (void)buf;
    for (uint32_t i = 0; i < count && nwritten < 64; i++)
        written[nwritten++] = lba + i;
    return 0;
}

static uint32_t order_of(uint32_t lba)
{
    for (uint32_t i = 0; i < nwritten; i++)
        if (written[i] == lba)
            return i;
    cr_assert_fail("sector %u never written", lba);
    return 0;
}

static void dirty(struct fat_cache *c, uint32_t lba, enum fat_kind kind)
{
    uint8_t *b;
    cr_assert_eq(fat_cache_get(c, lba, kind, 1, &b), S_OK);
    b[0] = (uint8_t)lba;
}

/* A cache of 32 slots and runs of 8 over the logging device, the log
 * empty. */
static struct fat_cache *logged_cache(void)
{
    static struct fat_cache c;
    static struct fat_cache_slot slots[32];
    static uint8_t run[8 * FAT_SECTOR];
    struct fat_blockdev dev = {0, log_read, log_write, 1000};
    struct fat_cache_mem mem = {slots, 32, run, 8};
    fat_cache_init(&c, &dev, &mem);
    nwritten = 0;
    return &c;
}

Test(fs_cache, runs_never_mix_kinds)
{
    struct fat_cache *c = logged_cache();
    dirty(c, 100, FAT_KIND_DIR);
    dirty(c, 101, FAT_KIND_DATA);
    dirty(c, 102, FAT_KIND_DATA);
    dirty(c, 300, FAT_KIND_DATA);
    cr_assert_eq(fat_cache_flush(c), S_OK);
    cr_assert_eq(nwritten, 4);
    cr_assert_lt(order_of(101), order_of(100), "data before directories, even beside them");
    cr_assert_lt(order_of(300), order_of(100));
}

Test(fs_cache, a_sector_dirty_as_two_kinds_goes_with_the_earlier)
{
    struct fat_cache *c = logged_cache();
    dirty(c, 200, FAT_KIND_DIR);
    dirty(c, 100, FAT_KIND_DIR);
    dirty(c, 200, FAT_KIND_DATA); /* a directory's sector reused for data */
    cr_assert_eq(fat_cache_flush(c), S_OK);
    cr_assert_lt(order_of(200), order_of(100));
}
