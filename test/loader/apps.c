/* What the build makes of apps/: every program of each arch passes the
 * loader's ELF checks for the user range below the DLLs; each kernel's
 * boot archive holds exactly its programs (kernel.elf no test_ ones), each
 * loading exactly as the linked program does (only debug sections are
 * stripped), and the archive is inside the kernel image. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <kernel/loader/bootfs.h>
#include <kernel/loader/elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USER_LO   0x00010000u /* 64 KiB */
#define DLL_BASE  0x40000000u /* [1 GiB, 2 GiB) is the DLLs' */
#define DLL_END   0x80000000u
#define APPS_BASE 0x00400000u /* lib/user.ld */
#define RT_BASE   0x70000000u /* configure: rt_base */

static const struct {
    const char *arch;
    unsigned machine;
} arches[] = {{"x86", ELF_MACHINE_386}, {"mips", ELF_MACHINE_MIPS}};

static void *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s: run ninja first", path);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    rewind(f);
    void *p = malloc(*size ? *size : 1);
    cr_assert_eq(fread(p, 1, *size, f), *size);
    fclose(f);
    return p;
}

/* The programs in the source tree: apps/NAME/ directories, sorted. */
static int app_names(char names[][256], int max)
{
    DIR *d = opendir(SRCDIR "/apps");
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        char path[4096];
        snprintf(path, sizeof path, SRCDIR "/apps/%s", de->d_name);
        DIR *sub = de->d_name[0] != '.' ? opendir(path) : NULL;
        if (!sub)
            continue;
        closedir(sub);
        cr_assert_lt(n, max);
        snprintf(names[n++], 256, "%s", de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, 256, (int (*)(const void *, const void *))strcmp);
    return n;
}

static bool is_test(const char *name)
{
    return strncmp(name, "test_", 5) == 0;
}

Test(loader_apps, every_program_passes_the_loaders_checks)
{
    char names[64][256];
    int n = app_names(names, 64);
    cr_assert_geq(n, 3, "hello, init, test_smoke at least");
    for (size_t a = 0; a < 2; a++) {
        for (int i = 0; i < n; i++) {
            char path[4096];
            snprintf(path, sizeof path, BUILDDIR "/%s/apps/%s", arches[a].arch, names[i]);
            size_t size;
            void *p = slurp(path, &size);
            struct elf_image e;
            cr_expect_eq(elf_parse(p, size, arches[a].machine, USER_LO, DLL_BASE, &e), S_OK, "%s",
                         path);
            cr_expect_eq(e.segments[0].vaddr, APPS_BASE, "%s", path);
            cr_expect_eq(e.segments[0].prot, AS_PROT_READ | AS_PROT_EXECUTE, "%s", path);
            cr_expect_eq(e.entry, APPS_BASE, "%s: _start first", path);
            cr_expect(e.nimports == 1 && !strcmp(e.imports[0], "rt.dll"), "%s imports rt.dll",
                      path);
            free(p);
        }
    }
}

/* The archived image loads exactly as the linked program at `app`: the
 * same entry, segments and segment bytes, and it is smaller. */
static void expect_same_load(const void *image, size_t size, const char *app, unsigned machine,
                             uint32_t lo, uint32_t hi)
{
    size_t app_size;
    const uint8_t *linked = slurp(app, &app_size);
    struct elf_image a, b;
    cr_assert_eq(elf_parse(image, size, machine, lo, hi, &a), S_OK, "%s", app);
    cr_assert_eq(elf_parse(linked, app_size, machine, lo, hi, &b), S_OK, "%s", app);
    cr_expect_lt(size, app_size, "%s: archived without its debug sections", app);
    cr_expect_eq(a.entry, b.entry, "%s", app);
    cr_assert_eq(a.nsegments, b.nsegments, "%s", app);
    for (unsigned i = 0; i < a.nsegments; i++) {
        const struct elf_segment *x = &a.segments[i], *y = &b.segments[i];
        cr_expect(x->vaddr == y->vaddr && x->mem_size == y->mem_size &&
                      x->file_size == y->file_size && x->prot == y->prot,
                  "%s: segment %u", app, i);
        cr_expect_eq(
            memcmp((const uint8_t *)image + x->file_off, linked + y->file_off, x->file_size), 0,
            "%s: segment %u's bytes", app, i);
    }
    free((void *)linked);
}

/* Each service of services/ (one with a component file) is in the
 * archive as NAME, loading as the linked ARCH/services/NAME at its own
 * address in the DLLs' range, importing rt.dll; the manifest `services`
 * names each once with a placement. How many entries that is. */
static int expect_services(const void *archive, size_t size, const char *arch, unsigned machine)
{
    struct bootfs_entry m;
    cr_assert_eq(bootfs_find(archive, size, "services", &m), S_OK, "%s: no manifest", arch);
    char *manifest = strndup(m.data, m.size);
    int n = 0;
    DIR *d = opendir(SRCDIR "/services");
    cr_assert_not_null(d);
    for (struct dirent *de; (de = readdir(d));) {
        char path[4096], line[300];
        snprintf(path, sizeof path, SRCDIR "/services/%s/component", de->d_name);
        if (de->d_name[0] == '.' || access(path, R_OK))
            continue;
        struct bootfs_entry e;
        cr_assert_eq(bootfs_find(archive, size, de->d_name, &e), S_OK, "%s lacks %s", arch,
                     de->d_name);
        snprintf(path, sizeof path, BUILDDIR "/%s/services/%s", arch, de->d_name);
        expect_same_load(e.data, e.size, path, machine, RT_BASE + 0x01000000, DLL_END);
        snprintf(line, sizeof line, "%s kernel\n", de->d_name);
        bool in_kernel = strstr(manifest, line) != NULL;
        snprintf(line, sizeof line, "%s process\n", de->d_name);
        cr_expect(in_kernel != (strstr(manifest, line) != NULL), "%s: %s placed once in:\n%s", arch,
                  de->d_name, manifest);
        n++;
    }
    closedir(d);
    cr_expect_geq(n, 1, "the sample service kv at least");
    free(manifest);
    return n + 1;
}

/* The archive holds every program (less the test_ ones unless
 * with_tests) and the runtime DLL and nothing else, each loading as the
 * linked one. */
static void expect_archive(const char *arch, unsigned machine, const char *tar, bool with_tests)
{
    char names[64][256];
    int n = app_names(names, 64);
    char path[4096];
    snprintf(path, sizeof path, BUILDDIR "/%s/%s", arch, tar);
    size_t size;
    void *archive = slurp(path, &size);
    int expected = 0;
    for (int i = 0; i < n; i++) {
        struct bootfs_entry e;
        SCODE sc = bootfs_find(archive, size, names[i], &e);
        if (is_test(names[i]) && !with_tests) {
            cr_expect_eq(sc, BOOTFS_E_NOT_FOUND, "%s holds %s", path, names[i]);
            continue;
        }
        expected++;
        cr_assert_eq(sc, S_OK, "%s lacks %s", path, names[i]);
        char app[4096];
        snprintf(app, sizeof app, BUILDDIR "/%s/apps/%s", arch, names[i]);
        expect_same_load(e.data, e.size, app, machine, USER_LO, DLL_BASE);
    }
    /* the runtime DLL, linked in the overlap region */
    struct bootfs_entry dll;
    cr_assert_eq(bootfs_find(archive, size, "rt.dll", &dll), S_OK, "%s lacks rt.dll", path);
    char linked[4096];
    snprintf(linked, sizeof linked, BUILDDIR "/%s/lib/rt.dll", arch);
    expect_same_load(dll.data, dll.size, linked, machine, RT_BASE, DLL_END);
    expected++;
    expected += expect_services(archive, size, arch, machine);
    struct bootfs_iter it;
    struct bootfs_entry e;
    bootfs_iter_init(&it, archive, size);
    int entries = 0;
    while (bootfs_next(&it, &e) == S_OK)
        entries++;
    cr_expect_eq(entries, expected, "%s: nothing else in it", path);
    free(archive);
}

Test(loader_apps, each_archive_holds_its_programs)
{
    for (size_t a = 0; a < 2; a++) {
        expect_archive(arches[a].arch, arches[a].machine, "bootfs.tar", false);
        expect_archive(arches[a].arch, arches[a].machine, "bootfs-test.tar", true);
    }
}

static bool contains(const char *image, const char *tar)
{
    size_t isize, tsize;
    void *i = slurp(image, &isize);
    void *t = slurp(tar, &tsize);
    bool found = memmem(i, isize, t, tsize) != NULL;
    free(i);
    free(t);
    return found;
}

Test(loader_apps, each_kernel_carries_its_archive)
{
    for (size_t a = 0; a < 2; a++) {
        char k[4096], kt[4096], t[4096], tt[4096];
        snprintf(k, sizeof k, BUILDDIR "/%s/kernel.elf", arches[a].arch);
        snprintf(kt, sizeof kt, BUILDDIR "/%s/kernel-test.elf", arches[a].arch);
        snprintf(t, sizeof t, BUILDDIR "/%s/bootfs.tar", arches[a].arch);
        snprintf(tt, sizeof tt, BUILDDIR "/%s/bootfs-test.tar", arches[a].arch);
        cr_expect(contains(k, t), "%s carries %s", k, t);
        cr_expect(!contains(k, tt), "%s carries no test programs", k);
        cr_expect(contains(kt, tt), "%s carries %s", kt, tt);
    }
}

/* Reproducible archives (build.ninja.in, rule bootfs): every header says
 * owner and group 0, no names for them, time 0, and a mode from the
 * fixed set, so two builds of the same programs give the same bytes. */
Test(loader_apps, archives_carry_no_build_machine_details)
{
    for (size_t a = 0; a < 2; a++) {
        char path[4096];
        snprintf(path, sizeof path, BUILDDIR "/%s/bootfs-test.tar", arches[a].arch);
        size_t size;
        uint8_t *archive = slurp(path, &size);
        struct bootfs_iter it;
        struct bootfs_entry e;
        bootfs_iter_init(&it, archive, size);
        while (bootfs_next(&it, &e) == S_OK) {
            const char *h = (const char *)e.data - BOOTFS_BLOCK;
            /* programs executable, the manifest (a text file) not */
            cr_expect_str_eq(h + 100, strcmp(e.name, "services") ? "0000755" : "0000644",
                             "%s: mode", e.name);
            cr_expect_str_eq(h + 108, "0000000", "%s: uid", e.name);
            cr_expect_str_eq(h + 116, "0000000", "%s: gid", e.name);
            cr_expect_str_eq(h + 136, "00000000000", "%s: mtime", e.name);
            cr_expect_str_eq(h + 265, "", "%s: user name", e.name);
            cr_expect_str_eq(h + 297, "", "%s: group name", e.name);
        }
        free(archive);
    }
}
