/* What the guest wrote is in the disk image: the guest test
 * disk_writes_then_reads_back (guest/disk.c) writes sectors 10-13 through
 * the IDE driver, and the host reads them from the image file, with the
 * sectors around them as guest_make_disk made them. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../harness/guest.h"

#define SECTOR        512
#define WRITTEN_FIRST 10 /* guest/disk.c's */
#define WRITTEN_COUNT 4

static uint8_t written_byte(unsigned i)
{
    return (uint8_t)(i * 7 + 1); /* guest/disk.c's WRITTEN_BYTE */
}

static void read_sectors(const char *path, unsigned first, unsigned count, uint8_t *out)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fseek(f, (long)first * SECTOR, SEEK_SET), 0);
    cr_assert_eq(fread(out, SECTOR, count, f), count);
    fclose(f);
}

static void image_holds_guest_writes(const char *arch)
{
    const char *name = "disk_writes_then_reads_back";
    struct guest_run run = guest_run_test(arch, name, 0);
    cr_assert_eq(run.outcome, GUEST_PASS, "%s: %s\n%s", arch, run.verdict, run.log);
    guest_run_free(&run);
    static uint8_t image[(WRITTEN_COUNT + 2) * SECTOR];
    read_sectors(guest_disk_path(arch, name), WRITTEN_FIRST - 1, WRITTEN_COUNT + 2, image);
    for (unsigned i = 0; i < WRITTEN_COUNT * SECTOR; i++)
        cr_assert_eq(image[SECTOR + i], written_byte(i), "%s: byte %u of sector %u", arch,
                     i % SECTOR, WRITTEN_FIRST + i / SECTOR);
    uint32_t before, after;
    memcpy(&before, image, 4);
    memcpy(&after, image + (WRITTEN_COUNT + 1) * SECTOR, 4);
    cr_expect_eq(before, GUEST_DISK_PATTERN(WRITTEN_FIRST - 1));
    cr_expect_eq(after, GUEST_DISK_PATTERN(WRITTEN_FIRST + WRITTEN_COUNT));
}

BOTH_ARCHES(disk_image_holds_what_the_guest_wrote, image_holds_guest_writes)
