/* Corrupt disks in the guest, fs in either placement: a boot sector FAT
 * refuses (fs says so and ends; the shell finds no file system), and a
 * file whose cluster chain loops (cat gets FS_E_CORRUPT, and a write
 * after it FS_E_POISONED). Nothing crashes, and the image is not written
 * to: its bytes are the same after the boot. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/guest.h"

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(*n);
    cr_assert_eq(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static void spill(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fwrite(b, 1, n, f), n);
    fclose(f);
}

static unsigned le16(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

/* HELLO.TXT's first FAT16 entry made to point at itself. */
static void loop_hello(uint8_t *img)
{
    unsigned reserved = le16(img + 14), nfats = img[16], roots = le16(img + 17);
    unsigned fat_sectors = le16(img + 22);
    const uint8_t *root = img + (size_t)(reserved + nfats * fat_sectors) * 512;
    for (unsigned i = 0; i < roots; i++, root += 32) {
        if (memcmp(root, "HELLO   TXT", 11))
            continue;
        unsigned first = le16(root + 26);
        for (unsigned k = 0; k < nfats; k++) {
            uint8_t *e = img + (size_t)(reserved + k * fat_sectors) * 512 + 2 * first;
            e[0] = (uint8_t)first, e[1] = (uint8_t)(first >> 8);
        }
        return;
    }
    cr_assert_fail("no HELLO.TXT in the root");
}

static void boot_corrupt(const char *arch, const char *name, void (*corrupt)(uint8_t *),
                         const char *place, const char *const *expect)
{
    const char *path = guest_disk_path(arch, name);
    size_t n, m;
    guest_make_fat_disk(path);
    uint8_t *img = slurp(path, &n);
    corrupt(img);
    spill(path, img, n);
    struct guest_opts opts = {.cmdline = place,
                              .input = "ls\ncat HELLO.TXT\nwrite new.txt hi\nls\nhalt\n",
                              .timeout = 60,
                              .plain = true,
                              .disk = path};
    struct guest_run run = guest_boot(arch, &opts);
    cr_assert_eq(run.outcome, GUEST_NO_VERDICT, "%s: %s\n%s", arch, run.verdict, run.log);
    for (; *expect; expect++)
        cr_expect(strstr(run.log, *expect), "%s %s: no \"%s\" in\n%s", arch, place, *expect,
                  run.log);
    uint8_t *after = slurp(path, &m);
    cr_expect(m == n && !memcmp(img, after, n), "%s %s: the corrupt image was written to", arch,
              place);
    free(img);
    free(after);
    guest_run_free(&run);
}

static void bad_sector_size(uint8_t *img)
{
    img[11] = 0x00, img[12] = 0x03; /* 768 bytes a sector */
}

static void bad_boot_sector(const char *arch)
{
    static const char *const expect[] = {"fs: cannot serve disk0 (0x80b20002)", "no file system",
                                         0};
    boot_corrupt(arch, "fs_bad_boot", bad_sector_size, "init=shell", expect);
    boot_corrupt(arch, "fs_bad_boot", bad_sector_size, "init=shell place.fs=process", expect);
}
BOTH_ARCHES(fs_corrupt_boot_sector_refused, bad_boot_sector)

static void looping_file(const char *arch)
{
    static const char *const expect[] = {"cat: HELLO.TXT: failed (0x80b20002)",
                                         "write: new.txt: failed (0x80b2000e)", 0};
    boot_corrupt(arch, "fs_loop", loop_hello, "init=shell", expect);
    boot_corrupt(arch, "fs_loop", loop_hello, "init=shell place.fs=process", expect);
}
BOTH_ARCHES(fs_corrupt_chain_refused, looping_file)
