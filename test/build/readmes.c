/* Docs match the tree: every source file is named in a README, the one in
 * its own directory or, failing that, in the nearest directory above it
 * that has one (by its path from there: arch/x86/README names
 * include/arch/cpu.h). A file added without a word in a README fails
 * here, as a guest test without a registration fails registry_matches_sources.
 * Source files: C, assembly, headers, IDL, linker scripts, and every
 * script in tools/. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const roots[] = {"kernel", "arch", "drivers", "services", "apps", "lib",
                                    "idl",    "idlc", "test",    "tools",    "bench"};

static bool is_source(const char *dir, const char *name)
{
    static const char *const exts[] = {".c", ".h", ".S", ".idl", ".ld"};
    if (strcmp(name, "README") == 0)
        return false;
    if (strcmp(dir, "tools") == 0)
        return true;
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof exts / sizeof exts[0]; i++) {
        if (strcmp(dot, exts[i]) == 0)
            return true;
    }
    return false;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

/* Does text name `path` as a word (not as part of a longer name)? */
static bool names(const char *text, const char *path)
{
    size_t n = strlen(path);
    for (const char *p = strstr(text, path); p; p = strstr(p + 1, path)) {
        bool starts = p == text || strchr(" \t\n(`'\"/", p[-1]);
        bool ends = !(p[n] == '_' || p[n] == '.' || (p[n] >= 'a' && p[n] <= 'z') ||
                      (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9')) ||
                    (p[n] == '.' && !(p[n + 1] >= 'a' && p[n + 1] <= 'z'));
        if (starts && ends)
            return true;
    }
    return false;
}

/* The README text that covers `dir` (relative to the source root), and
 * the directory it is in; NULL if none on the way up to the root. */
static char *covering_readme(const char *root, const char *dir, char *readme_dir, size_t size)
{
    snprintf(readme_dir, size, "%s", dir);
    for (;;) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s/README", root, readme_dir);
        char *text = read_file(path);
        if (text)
            return text;
        char *slash = strrchr(readme_dir, '/');
        if (!slash)
            return NULL;
        *slash = '\0';
    }
}

/* The source files under root/dir that no README names (each reported if
 * `report`: a Criterion error line also makes the run's status fail). */
static int check_dir(const char *root, const char *dir, bool report)
{
    int missing = 0;
    char full[8192];
    snprintf(full, sizeof full, "%s/%s", root, dir);
    DIR *d = opendir(full);
    if (!d)
        return 0;
    char readme_dir[4096];
    char *readme = NULL;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        struct stat st;
        snprintf(full, sizeof full, "%s/%s", root, sub);
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            missing += check_dir(root, sub, report);
            continue;
        }
        if (!is_source(dir, e->d_name))
            continue;
        if (!readme)
            readme = covering_readme(root, dir, readme_dir, sizeof readme_dir);
        const char *rel = sub + strlen(readme_dir) + 1;
        if (!readme || !names(readme, rel)) {
            if (report)
                cr_log_error("%s is not named in %s/README (as %s)", sub, readme ? readme_dir : dir,
                             rel);
            missing++;
        }
    }
    closedir(d);
    free(readme);
    return missing;
}

Test(docs, every_source_file_is_named_in_a_readme)
{
    int missing = 0;
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        missing += check_dir(SRCDIR, roots[i], true);
    cr_expect_eq(missing, 0, "%d source files are not described in a README", missing);
}

static void put(const char *root, const char *path, const char *text)
{
    char full[8192];
    snprintf(full, sizeof full, "%s/%s", root, path);
    FILE *f = fopen(full, "w");
    cr_assert_not_null(f, "%s", full);
    fputs(text, f);
    fclose(f);
}

/* A tree where two files of four go undescribed: a README names a file
 * of its own directory and one of a subdirectory without a README. */
Test(docs, readme_check_counts_each_undescribed_file)
{
    char root[] = "/tmp/rialto-readmes-XXXXXX";
    cr_assert_not_null(mkdtemp(root));
    char sub[8192];
    snprintf(sub, sizeof sub, "%s/a", root);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/a/sub", root);
    mkdir(sub, 0700);
    put(root, "a/README", "  x.c      one\n  sub/z.h  two\n");
    put(root, "a/x.c", "");
    put(root, "a/y.c", "");
    put(root, "a/sub/z.h", "");
    put(root, "a/sub/w.c", "");
    put(root, "a/notes.txt", "");
    cr_expect_eq(check_dir(root, "a", false), 2); /* y.c and sub/w.c */
    char cmd[8300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    cr_expect_eq(system(cmd), 0);
}

Test(docs, readme_names_are_whole_words)
{
    cr_expect(names("  vtlb.c     the VTLB\n", "vtlb.c"));
    cr_expect(names("see (include/arch/cpu.h).", "include/arch/cpu.h"));
    cr_expect(!names("  vtlb_soft.c  the reference\n", "vtlb.c"));
    cr_expect(!names("  myvtlb.c\n", "vtlb.c"));
    cr_expect(!names("  vtlb.cc\n", "vtlb.c"));
}

/* README.md names every target a person types: each `build NAME:` of
 * build.ninja.in whose name is a plain word (run, run-x86, debug, test,
 * bench, fuzz, check-format, ...), not a file or the internal
 * idl-generated. */
Test(docs, readme_names_every_target)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/build.ninja.in", SRCDIR);
    char *tmpl = read_file(path);
    cr_assert_not_null(tmpl, "%s", path);
    snprintf(path, sizeof path, "%s/README.md", SRCDIR);
    char *readme = read_file(path);
    cr_assert_not_null(readme, "%s", path);
    int targets = 0;
    for (char *line = strtok(tmpl, "\n"); line; line = strtok(NULL, "\n")) {
        char name[64];
        int end = 0;
        if (strncmp(line, "build ", 6) != 0 || sscanf(line + 6, "%63[^ :]%n", name, &end) != 1 ||
            line[6 + end] != ':' || strpbrk(name, "$/.") || strcmp(name, "idl-generated") == 0)
            continue;
        char quoted[80];
        snprintf(quoted, sizeof quoted, "`%s`", name);
        targets++;
        cr_expect(strstr(readme, quoted) != NULL, "README.md does not name the target %s", quoted);
    }
    cr_expect_geq(targets, 10, "%d targets found in build.ninja.in", targets);
    free(tmpl);
    free(readme);
}
