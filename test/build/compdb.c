/* BUILDDIR/compile_commands.json, the compilation database clangd reads:
 * one compile entry per source file and arch (x86, mips, host), none for
 * links, idlc runs or the checks of generated code, every source file of
 * the tree in it (the user runtime and programs once per arch), and its
 * commands usable as they stand. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define MAX_ENTRIES 1024

struct entry {
    char *directory, *command, *file;
    const char *arch;
};

static struct entry entries[MAX_ENTRIES];
static int nentries;

/* A minimal JSON reader for what the database holds: an array of
 * objects whose values are strings. */
struct json {
    const char *p;
};

static void skip_ws(struct json *j)
{
    while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
        j->p++;
}

static void expect_char(struct json *j, char c)
{
    skip_ws(j);
    cr_assert_eq(*j->p, c, "expected '%c' at: %.40s", c, j->p);
    j->p++;
}

static char *read_string(struct json *j)
{
    expect_char(j, '"');
    size_t cap = strlen(j->p) + 1, n = 0;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    while (*j->p != '"') {
        cr_assert_neq(*j->p, '\0', "unterminated string");
        char c = *j->p++;
        if (c == '\\') {
            c = *j->p++;
            cr_assert(strchr("\"\\/nt", c), "escape \\%c", c);
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        s[n++] = c;
    }
    j->p++;
    s[n] = '\0';
    return s;
}

static const char *arch_of(const char *command)
{
    if (strstr(command, "--target=i686-elf"))
        return "x86";
    if (strstr(command, "--target=mipsel-elf"))
        return "mips";
    return "host";
}

static void load(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/compile_commands.json", BUILDDIR);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s: run ninja first", path);
    static char text[4 << 20];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    struct json j = {text};
    expect_char(&j, '[');
    skip_ws(&j);
    while (*j.p != ']') {
        cr_assert_lt(nentries, MAX_ENTRIES);
        struct entry *e = &entries[nentries++];
        expect_char(&j, '{');
        for (;;) {
            char *key = read_string(&j);
            expect_char(&j, ':');
            char *value = read_string(&j);
            if (strcmp(key, "directory") == 0)
                e->directory = value;
            else if (strcmp(key, "command") == 0)
                e->command = value;
            else if (strcmp(key, "file") == 0)
                e->file = value;
            else
                free(value);
            free(key);
            skip_ws(&j);
            if (*j.p != ',')
                break;
            j.p++;
        }
        expect_char(&j, '}');
        cr_assert(e->directory && e->command && e->file, "entry %d lacks a field", nentries);
        e->arch = arch_of(e->command);
        skip_ws(&j);
        if (*j.p == ',')
            j.p++;
        skip_ws(&j);
    }
}

static void unload(void)
{
    for (int i = 0; i < nentries; i++) {
        free(entries[i].directory);
        free(entries[i].command);
        free(entries[i].file);
    }
    nentries = 0;
}

TestSuite(build_compdb, .init = load, .fini = unload, .timeout = 60);

/* The file of an entry, relative to the source root when it is in it. */
static const char *source_path(const struct entry *e, char *buf, size_t size)
{
    if (e->file[0] == '/')
        snprintf(buf, size, "%s", e->file);
    else
        snprintf(buf, size, "%s/%s", e->directory, e->file);
    size_t n = strlen(SRCDIR);
    if (strncmp(buf, SRCDIR, n) == 0 && buf[n] == '/')
        memmove(buf, buf + n + 1, strlen(buf + n + 1) + 1);
    return buf;
}

Test(build_compdb, every_entry_compiles_one_existing_file)
{
    cr_assert_gt(nentries, 100, "%d entries", nentries);
    for (int i = 0; i < nentries; i++) {
        const struct entry *e = &entries[i];
        const char *c = e->command;
        /* a compiler (not ld.lld, not idlc), compiling only (not linking) */
        cr_expect(strncmp(c, "cc ", 3) == 0 || strncmp(c, "clang ", 6) == 0, "not a compile: %s",
                  c);
        cr_expect(strstr(c, " -c ") != NULL, "not a compile-only step: %s", c);
        cr_expect(strstr(c, e->file) != NULL, "the command compiles its file: %s", c);
        char path[4096];
        if (e->file[0] == '/')
            snprintf(path, sizeof path, "%s", e->file);
        else
            snprintf(path, sizeof path, "%s/%s", e->directory, e->file);
        struct stat st;
        cr_expect_eq(stat(path, &st), 0, "no such file: %s", path);
    }
}

Test(build_compdb, one_entry_per_file_and_arch)
{
    char a[4096], b[4096];
    for (int i = 0; i < nentries; i++) {
        for (int k = i + 1; k < nentries; k++) {
            if (strcmp(entries[i].arch, entries[k].arch) == 0) {
                cr_expect_str_neq(source_path(&entries[i], a, sizeof a),
                                  source_path(&entries[k], b, sizeof b), "two %s entries",
                                  entries[i].arch);
            }
        }
    }
}

static bool has_entry(const char *file, const char *arch)
{
    char buf[4096];
    for (int i = 0; i < nentries; i++) {
        if (strcmp(source_path(&entries[i], buf, sizeof buf), file) == 0 &&
            (!arch || strcmp(entries[i].arch, arch) == 0))
            return true;
    }
    return false;
}

/* Every C file of the tree is in it (so clangd never guesses flags), the
 * machine-independent kernel once per kernel arch, each port's for its
 * arch. */
Test(build_compdb, every_source_file_is_in_it)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && find kernel arch drivers services lib apps idlc test bench tools "
             "-name '*.c' -not -path '*/golden/*' 2>/dev/null | LC_ALL=C sort",
             SRCDIR);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char line[4096];
    int files = 0;
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        files++;
        cr_expect(has_entry(line, NULL), "%s is not in the database", line);
        if (strncmp(line, "kernel/", 7) == 0 || strncmp(line, "drivers/", 8) == 0) {
            cr_expect(has_entry(line, "x86") && has_entry(line, "mips"), "%s: x86 and mips", line);
        }
        if (strncmp(line, "arch/x86/", 9) == 0)
            cr_expect(has_entry(line, "x86") && !has_entry(line, "mips"), "%s", line);
        if (strncmp(line, "arch/mips/", 10) == 0)
            cr_expect(has_entry(line, "mips") && !has_entry(line, "x86"), "%s", line);
        /* the user runtime and programs: both arches; lib/ARCH/ its own */
        if (strncmp(line, "lib/x86/", 8) == 0)
            cr_expect(has_entry(line, "x86") && !has_entry(line, "mips"), "%s", line);
        else if (strncmp(line, "lib/mips/", 9) == 0)
            cr_expect(has_entry(line, "mips") && !has_entry(line, "x86"), "%s", line);
        else if (strncmp(line, "lib/", 4) == 0 || strncmp(line, "apps/", 5) == 0)
            cr_expect(has_entry(line, "x86") && has_entry(line, "mips"), "%s: x86 and mips", line);
    }
    pclose(p);
    cr_expect_gt(files, 100, "%d source files", files);
}

/* An entry's command, run where it says, parses its file: what clangd
 * does with it. */
static void expect_usable(const char *file, const char *arch)
{
    char buf[4096];
    for (int i = 0; i < nentries; i++) {
        const struct entry *e = &entries[i];
        if (strcmp(source_path(e, buf, sizeof buf), file) != 0 || strcmp(e->arch, arch) != 0)
            continue;
        char cmd[16384];
        snprintf(cmd, sizeof cmd, "cd '%s' && %s -fsyntax-only -MF /dev/null 2>&1", e->directory,
                 e->command);
        FILE *p = popen(cmd, "r");
        cr_assert_not_null(p);
        char out[4096];
        size_t n = fread(out, 1, sizeof out - 1, p);
        out[n] = '\0';
        int st = pclose(p);
        cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s (%s):\n%s", file, arch, out);
        return;
    }
    cr_expect_fail("no %s entry for %s", arch, file);
}

Test(build_compdb, commands_parse_their_files)
{
    expect_usable("kernel/main.c", "x86");
    expect_usable("kernel/main.c", "mips");
    expect_usable("test/vm/ops.c", "host");
    expect_usable("idlc/main.c", "host");
    expect_usable("lib/stdio.c", "mips");
    expect_usable("apps/hello/hello.c", "x86");
    expect_usable("lib/heap.c", "host");
}

/* The entry of `file` for `arch`; the test fails without one. */
static const struct entry *entry_of(const char *file, const char *arch)
{
    char buf[4096];
    for (int i = 0; i < nentries; i++) {
        if (strcmp(source_path(&entries[i], buf, sizeof buf), file) == 0 &&
            strcmp(entries[i].arch, arch) == 0)
            return &entries[i];
    }
    cr_assert_fail("no %s entry for %s", arch, file);
    return NULL;
}

/* User programs include the runtime's headers and the interfaces, never
 * the kernel's or an arch's; the runtime itself also sees kernel/include
 * (for the kernel code it reuses), and both are built like the kernel
 * (freestanding, no PIC, MIPS without $gp). */
Test(build_compdb, programs_see_only_the_runtimes_headers)
{
    static const char *const arches[] = {"x86", "mips"};
    for (int a = 0; a < 2; a++) {
        const char *app = entry_of("apps/hello/hello.c", arches[a])->command;
        const char *rt = entry_of("lib/stdio.c", arches[a])->command;
        cr_expect(strstr(app, "lib/include") && !strstr(app, "kernel/include") &&
                      !strstr(app, "arch/"),
                  "%s", app);
        cr_expect(strstr(rt, "lib/include") && strstr(rt, "kernel/include") && !strstr(rt, "arch/"),
                  "%s", rt);
        cr_expect(strstr(app, "-ffreestanding") && strstr(app, "-fno-pic"), "%s", app);
        if (a == 1)
            cr_expect(strstr(app, "-G0") && strstr(app, "-mno-abicalls"), "%s", app);
    }
}
