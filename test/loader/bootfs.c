/* The boot archive reader of kernel/loader/bootfs.c: archives GNU tar
 * makes (in a temporary directory, at test time) are read back entry by
 * entry and file by file; every truncation, bad checksum, hostile number
 * field, foreign magic and random mutation is refused or stays inside the
 * archive. */
#include <criterion/criterion.h>
#include <kernel/loader/bootfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LONG_DIR  "a_directory_name_that_goes_on_and_on_for_sixty_characters___"
#define LONG_FILE "and_a_file_name_of_eighty_characters_so_the_path_needs_the_prefix_field_________"
#define N100                                                                                       \
    "n100_a_name_of_exactly_one_hundred_bytes_fills_the_field_without_a_terminating_NUL_byte_"     \
    "at_all_okay_"

/* Regular files of the archive and their contents. */
static const struct {
    const char *name;
    size_t size;
    char fill;
} files[] = {
    {"alpha", 15, 'a'},
    {"block", 512, 'b'},
    {"dir/nested", 1000, 'n'},
    {"empty", 0, 'e'},
    {LONG_DIR "/" LONG_FILE, 3, 'l'},
    {N100, 513, 'x'},
};
#define NFILES (sizeof files / sizeof files[0])

static uint8_t *archive;
static size_t archive_size;

static void sh(const char *cmd)
{
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void write_file(const char *dir, const char *name, size_t size, char fill)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    for (size_t i = 0; i < size; i++)
        fputc(fill, f);
    fclose(f);
}

/* What the build does (build.ninja.in, rule bootfs), on these files. */
static void make_archive(void)
{
    cr_assert_eq(strlen(N100), 100);
    char dir[] = "/tmp/bootfs-test-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/dir' '%s/%s'", dir, dir, LONG_DIR);
    sh(cmd);
    for (size_t i = 0; i < NFILES; i++)
        write_file(dir, files[i].name, files[i].size, files[i].fill);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 "
             "--sort=name -cf a.tar alpha block dir empty %s %s",
             dir, LONG_DIR, N100);
    sh(cmd);
    char path[1024];
    snprintf(path, sizeof path, "%s/a.tar", dir);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    archive_size = (size_t)ftell(f);
    rewind(f);
    archive = malloc(archive_size);
    cr_assert_eq(fread(archive, 1, archive_size, f), archive_size);
    fclose(f);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    sh(cmd);
}

static void drop_archive(void)
{
    free(archive);
    archive = NULL;
}

TestSuite(loader_bootfs, .init = make_archive, .fini = drop_archive);

static int file_index(const char *name)
{
    for (size_t i = 0; i < NFILES; i++) {
        if (strcmp(files[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}

static void expect_contents(const struct bootfs_entry *e, int i)
{
    cr_expect_eq(e->size, files[i].size, "%s", e->name);
    const uint8_t *d = e->data;
    for (size_t k = 0; k < e->size; k++)
        cr_assert_eq(d[k], (uint8_t)files[i].fill, "%s byte %zu", e->name, k);
}

Test(loader_bootfs, walks_every_entry_tar_wrote)
{
    struct bootfs_iter it;
    struct bootfs_entry e;
    bootfs_iter_init(&it, archive, archive_size);
    int seen = 0, dirs = 0;
    SCODE sc;
    while ((sc = bootfs_next(&it, &e)) == S_OK) {
        if (!e.regular) {
            dirs++;
            continue;
        }
        int i = file_index(e.name);
        cr_assert_geq(i, 0, "unexpected entry '%s'", e.name);
        expect_contents(&e, i);
        seen |= 1 << i;
    }
    cr_expect_eq(sc, S_FALSE, "ends at the end-of-archive block");
    cr_expect_eq(seen, (1 << NFILES) - 1, "every file once");
    cr_expect_eq(dirs, 2, "dir/ and the long directory");
    cr_expect_eq(bootfs_next(&it, &e), S_FALSE, "and stays at the end");
}

Test(loader_bootfs, finds_files_by_their_whole_name)
{
    struct bootfs_entry e;
    for (size_t i = 0; i < NFILES; i++) {
        cr_assert_eq(bootfs_find(archive, archive_size, files[i].name, &e), S_OK, "%s",
                     files[i].name);
        expect_contents(&e, (int)i);
    }
    static const char *const absent[] = {"alph",   "alphab", "alpha/", "dir",    "dir/",
                                         "nested", "",       N100 "x", LONG_FILE};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        cr_expect_eq(bootfs_find(archive, archive_size, absent[i], &e), BOOTFS_E_NOT_FOUND, "%s",
                     absent[i]);
}

Test(loader_bootfs, long_names_need_no_nul_and_join_the_prefix)
{
    struct bootfs_entry e;
    cr_assert_eq(bootfs_find(archive, archive_size, N100, &e), S_OK);
    cr_expect_eq(strlen(e.name), 100);
    cr_assert_eq(bootfs_find(archive, archive_size, LONG_DIR "/" LONG_FILE, &e), S_OK);
    cr_expect_gt(strlen(e.name), 100, "longer than the name field alone");
}

/* The offset of the end-of-archive block. */
static size_t end_block(void)
{
    struct bootfs_iter it;
    struct bootfs_entry e;
    bootfs_iter_init(&it, archive, archive_size);
    while (bootfs_next(&it, &e) == S_OK)
        ;
    return it.next;
}

/* Cut the archive at every byte: unless the end-of-archive block is still
 * whole, the walk ends in BOOTFS_E_TRUNCATED (ASan catches a read past the
 * cut: each copy is exactly that long). */
Test(loader_bootfs, every_truncation_is_refused)
{
    size_t end = end_block();
    for (size_t cut = 0; cut < archive_size; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, archive, cut);
        struct bootfs_iter it;
        struct bootfs_entry e;
        bootfs_iter_init(&it, copy, cut);
        SCODE sc;
        while ((sc = bootfs_next(&it, &e)) == S_OK)
            cr_assert_leq((const uint8_t *)e.data + e.size, copy + cut);
        cr_assert_eq(sc, cut >= end + BOOTFS_BLOCK ? S_FALSE : BOOTFS_E_TRUNCATED,
                     "cut at %zu: %#x", cut, (unsigned)sc);
        free(copy);
    }
}

static uint8_t *header_of(uint8_t *a, const char *name)
{
    struct bootfs_entry e;
    cr_assert_eq(bootfs_find(a, archive_size, name, &e), S_OK);
    return (uint8_t *)e.data - BOOTFS_BLOCK;
}

/* Rewrite a header field and make the checksum right again, so the check
 * behind the checksum is the one that must refuse. */
static void set_field(uint8_t *h, int off, int len, const char *value)
{
    memset(h + off, 0, (size_t)len);
    memcpy(h + off, value, strlen(value) < (size_t)len ? strlen(value) : (size_t)len);
    unsigned sum = 0;
    for (int i = 0; i < BOOTFS_BLOCK; i++)
        sum += i >= 148 && i < 156 ? ' ' : h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    h[155] = ' ';
}

static SCODE walk(const uint8_t *a)
{
    struct bootfs_iter it;
    struct bootfs_entry e;
    bootfs_iter_init(&it, a, archive_size);
    SCODE sc;
    while ((sc = bootfs_next(&it, &e)) == S_OK)
        ;
    return sc;
}

Test(loader_bootfs, a_wrong_checksum_is_refused)
{
    uint8_t *h = header_of(archive, "block");
    h[1] ^= 0x20; /* "bLock" */
    cr_expect_eq(walk(archive), BOOTFS_E_CHECKSUM);
    struct bootfs_entry e;
    cr_expect_eq(bootfs_find(archive, archive_size, "alpha", &e), S_OK, "found before it");
    cr_expect_eq(bootfs_find(archive, archive_size, "empty", &e), BOOTFS_E_CHECKSUM, "not past it");
    h[1] ^= 0x20;
    h[148] = '9'; /* not an octal checksum */
    cr_expect_eq(walk(archive), BOOTFS_E_BAD_FIELD);
}

Test(loader_bootfs, a_size_beyond_the_end_is_refused)
{
    uint8_t *h = header_of(archive, "alpha");
    set_field(h, 124, 12, "77777777777");
    cr_expect_eq(walk(archive), BOOTFS_E_TRUNCATED);
    char size[16];
    snprintf(size, sizeof size, "%011zo", archive_size);
    set_field(h, 124, 12, size);
    cr_expect_eq(walk(archive), BOOTFS_E_TRUNCATED, "the whole archive after the header");
}

Test(loader_bootfs, size_fields_must_be_plain_octal)
{
    static const char *const bad[] = {
        "", "12a", "8", "1 2", "-1", "0x10", "\x80\x00", "777777777777", "00000000017z"};
    uint8_t *h = header_of(archive, "alpha");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        set_field(h, 124, 12, bad[i]);
        cr_expect_eq(walk(archive), BOOTFS_E_BAD_FIELD, "size '%s'", bad[i]);
    }
    set_field(h, 124, 12, "  17 "); /* leading spaces, a space after: allowed */
    cr_expect_eq(walk(archive), S_FALSE);
}

Test(loader_bootfs, only_posix_ustar_is_read)
{
    uint8_t *h = header_of(archive, "alpha");
    set_field(h, 257, 8, "ustar  "); /* the old GNU magic */
    cr_expect_eq(walk(archive), BOOTFS_E_NOT_USTAR);
    set_field(h, 257, 8, ""); /* v7 tar: no magic */
    cr_expect_eq(walk(archive), BOOTFS_E_NOT_USTAR);
}

Test(loader_bootfs, an_empty_name_is_refused)
{
    uint8_t *h = header_of(archive, "alpha");
    set_field(h, 0, 100, "");
    cr_expect_eq(walk(archive), BOOTFS_E_BAD_NAME);
}

Test(loader_bootfs, empty_and_zero_archives)
{
    static const uint8_t zeros[2 * BOOTFS_BLOCK];
    struct bootfs_iter it;
    struct bootfs_entry e;
    bootfs_iter_init(&it, zeros, 0);
    cr_expect_eq(bootfs_next(&it, &e), BOOTFS_E_TRUNCATED);
    bootfs_iter_init(&it, zeros, sizeof zeros);
    cr_expect_eq(bootfs_next(&it, &e), S_FALSE);
    cr_expect_eq(bootfs_find(zeros, sizeof zeros, "alpha", &e), BOOTFS_E_NOT_FOUND);
}

/* Random bytes changed, the checksum made right again half of the time
 * (so the fields behind it are reached): every walk ends, and every entry
 * it gives lies inside the archive with a terminated name. */
Test(loader_bootfs, mutated_archives_stay_inside)
{
    uint8_t *copy = malloc(archive_size);
    srand(11);
    for (int round = 0; round < 3000; round++) {
        memcpy(copy, archive, archive_size);
        size_t hdr = (size_t)(rand() % 4) * BOOTFS_BLOCK;
        for (int k = rand() % 4; k >= 0; k--)
            copy[hdr + (size_t)(rand() % BOOTFS_BLOCK)] = (uint8_t)rand();
        if (rand() % 2 && !(copy[hdr + 148] & 0x80))
            set_field(copy + hdr, 148, 8, "");
        struct bootfs_iter it;
        struct bootfs_entry e;
        bootfs_iter_init(&it, copy, archive_size);
        int steps = 0;
        while (bootfs_next(&it, &e) == S_OK) {
            cr_assert_lt(++steps, 100);
            cr_assert_geq((const uint8_t *)e.data, copy + BOOTFS_BLOCK);
            cr_assert_leq((const uint8_t *)e.data + e.size, copy + archive_size);
            cr_assert_leq(strlen(e.name), BOOTFS_NAME_MAX);
        }
    }
    free(copy);
}
