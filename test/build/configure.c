/* ./configure, run on a copy of the source tree: options, errors, the
 * files it writes, that a second run with the same options changes
 * nothing, and that build directories stay apart. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

struct sh_result {
    int status;
    char out[8192];
};

/* Run a shell command, capturing stdout and stderr together (the first
 * 8 KiB of them). */
static struct sh_result sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct sh_result sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    struct sh_result r = {0};
    char full[4200];
    snprintf(full, sizeof full, "(%s) 2>&1", cmd);
    FILE *p = popen(full, "r");
    cr_assert_not_null(p);
    size_t n = fread(r.out, 1, sizeof r.out - 1, p);
    r.out[n] = '\0';
    /* Drain what does not fit: closing the pipe early would kill the
     * command with SIGPIPE and fail it (ninja -n prints a line per edge). */
    char rest[4096];
    while (fread(rest, 1, sizeof rest, p) > 0)
        ;
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return r;
}

static char tree[64];

/* A copy of the sources without build outputs (every build directory
 * carries a CACHEDIR.TAG). */
static void copy_tree(void)
{
    strcpy(tree, "/tmp/rialto-configure-XXXXXX");
    cr_assert_not_null(mkdtemp(tree));
    struct sh_result r =
        sh("cd '%s' && tar -c --exclude-caches-all --exclude=./build "
           "--exclude=./build.ninja --exclude=./.ninja_log --exclude=./.ninja_deps "
           "--exclude=./.git . | tar -x -C '%s'",
           SRCDIR, tree);
    cr_assert_eq(r.status, 0, "%s", r.out);
}

static void remove_tree(void)
{
    sh("rm -rf '%s'", tree);
}

TestSuite(build_configure, .init = copy_tree, .fini = remove_tree, .timeout = 120);

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

Test(build_configure, bad_options_get_one_line_and_status_2)
{
    static const char *const bad[][2] = {
        {"--bogus", "'--bogus'"},
        {"--arch=arm", "'arm'"},
        {"--arch", "--arch"},
        {"--builddir=", "--builddir"},
        {"--place kv=elsewhere", "'kv=elsewhere'"},
        {"--place=nope=kernel", "'nope'"},
        {"--place", "--place"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct sh_result r = sh("cd '%s' && ./configure %s", tree, bad[i][0]);
        cr_expect_eq(r.status, 2, "%s: status %d", bad[i][0], r.status);
        cr_expect_eq(lines(r.out), 1, "%s: one line, got:\n%s", bad[i][0], r.out);
        cr_expect(strstr(r.out, "configure: error: ") && strstr(r.out, bad[i][1]),
                  "%s: names the problem: %s", bad[i][0], r.out);
    }
    struct stat st;
    cr_expect_neq(stat(tree, &st), -1);
    char path[256];
    snprintf(path, sizeof path, "%s/build.ninja", tree);
    cr_expect_eq(stat(path, &st), -1, "a refused run writes nothing");
}

Test(build_configure, help_lists_the_options)
{
    struct sh_result r = sh("cd '%s' && ./configure --help", tree);
    cr_expect_eq(r.status, 0);
    cr_expect(strstr(r.out, "--arch=x86|mips") && strstr(r.out, "--debug") &&
                  strstr(r.out, "--install-deps") && strstr(r.out, "--builddir"),
              "%s", r.out);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    static char buf[2][1 << 20];
    static int which;
    char *b = buf[which++ % 2];
    size_t n = fread(b, 1, sizeof buf[0] - 1, f);
    b[n] = '\0';
    fclose(f);
    return b;
}

Test(build_configure, writes_build_files_and_reruns_idempotently)
{
    struct sh_result r = sh("cd '%s' && ./configure --arch=mips --debug", tree);
    cr_assert_eq(r.status, 0, "%s", r.out);
    char ninja[256], config[256];
    snprintf(ninja, sizeof ninja, "%s/build.ninja", tree);
    snprintf(config, sizeof config, "%s/build/config.h", tree);
    char *first = strdup(slurp(ninja));
    cr_expect(strstr(first, "\narch = mips\n"), "the run target boots mips");
    cr_expect(strstr(first, "-O0"), "--debug builds without optimization");
    cr_expect(strstr(slurp(config), "#define CONFIG_DEBUG        1"), "%s", slurp(config));
    struct stat before, after;
    cr_assert_eq(stat(config, &before), 0);

    sh("sleep 1");
    r = sh("cd '%s' && ./configure --arch=mips --debug", tree);
    cr_assert_eq(r.status, 0, "%s", r.out);
    cr_expect_str_eq(slurp(ninja), first, "same options, same build.ninja");
    cr_assert_eq(stat(config, &after), 0);
    cr_expect_eq(before.st_mtime, after.st_mtime, "config.h untouched, so nothing rebuilds");
    free(first);

    /* the generated file is a valid Ninja manifest that can build a kernel (its
     * plan, hundreds of lines, is not kept: a full pipe would stop ninja) */
    r = sh("cd '%s' && ninja -n build/x86/kernel.elf build/mips/kernel.elf >/dev/null", tree);
    cr_expect_eq(r.status, 0, "%s", r.out);
}

Test(build_configure, ninja_reruns_configure_when_the_template_changes)
{
    struct sh_result r = sh("cd '%s' && ./configure", tree);
    cr_assert_eq(r.status, 0, "%s", r.out);
    r = sh("cd '%s' && sleep 1 && echo '# edited' >> build.ninja.in && ninja build.ninja", tree);
    cr_expect_eq(r.status, 0, "%s", r.out);
    char ninja[256];
    snprintf(ninja, sizeof ninja, "%s/build.ninja", tree);
    cr_expect(strstr(slurp(ninja), "\n# edited\n"), "build.ninja regenerated from the template");
}

/* The outputs --help lists under "`ninja` builds these". */
static int help_defaults(const char *help, char items[][64], int max)
{
    const char *p = strstr(help, "`ninja` builds these");
    cr_assert_not_null(p, "%s", help);
    p = strchr(p, '\n') + 1;
    int n = 0;
    while (n < max && sscanf(p, "  %63[^ \n]\n", items[n]) == 1 && strncmp(p, "  and ", 6) != 0) {
        n++;
        p = strchr(p, '\n') + 1;
    }
    return n;
}

Test(build_configure, help_says_what_ninja_builds)
{
    struct sh_result r = sh("cd '%s' && ./configure --help", tree);
    cr_assert_eq(r.status, 0);
    char items[32][64];
    int n = help_defaults(r.out, items, 32);
    cr_assert_gt(n, 4, "%s", r.out);
    r = sh("cd '%s' && ./configure >/dev/null && ninja -t targets all >/dev/null && "
           "sed -n 's/^default //p' build.ninja",
           tree);
    cr_assert_eq(r.status, 0, "%s", r.out);
    char want[4096] = "";
    for (int i = 0; i < n; i++) {
        strcat(want, "$builddir/");
        strcat(want, items[i]);
        strcat(want, " ");
    }
    strcat(want, "idl-generated\n");
    cr_expect_str_eq(r.out, want, "the manifest's default line is what --help lists");
}

static bool same_file(const char *a, const char *b)
{
    return sh("cmp -s '%s' '%s'", a, b).status == 0;
}

/* --builddir=DIR writes DIR/build.ninja, driven with ninja -C DIR, and
 * leaves the default build (./build.ninja) and every other DIR alone. */
Test(build_configure, build_directories_stay_apart)
{
    struct sh_result r = sh("cd '%s' && ./configure && cp build.ninja root.ninja.saved", tree);
    cr_assert_eq(r.status, 0, "%s", r.out);
    r = sh("cd '%s' && ./configure --builddir=b1 --arch=mips && cp b1/build.ninja b1.saved", tree);
    cr_assert_eq(r.status, 0, "%s", r.out);
    r = sh("cd '%s' && ./configure --builddir=b2 --vtlb-pages=128", tree);
    cr_assert_eq(r.status, 0, "%s", r.out);
    char path[3][512];
    snprintf(path[0], sizeof path[0], "%s/build.ninja", tree);
    snprintf(path[1], sizeof path[1], "%s/root.ninja.saved", tree);
    cr_expect(same_file(path[0], path[1]), "--builddir left ./build.ninja alone");
    snprintf(path[0], sizeof path[0], "%s/b1/build.ninja", tree);
    snprintf(path[1], sizeof path[1], "%s/b1.saved", tree);
    cr_expect(same_file(path[0], path[1]), "configuring b2 left b1 alone");
    cr_expect(strstr(slurp(path[0]), "\narch = mips\n"), "b1 boots mips");
    snprintf(path[2], sizeof path[2], "%s/b2/config.h", tree);
    cr_expect(strstr(slurp(path[2]), "CONFIG_VTLB_PAGES   128"), "b2 has its own config.h");
    snprintf(path[2], sizeof path[2], "%s/build/config.h", tree);
    cr_expect(strstr(slurp(path[2]), "CONFIG_VTLB_PAGES   64"), "build/ kept its config.h");

    /* each is a valid manifest for ninja -C DIR, and a real compile works
     * there with the sources found by absolute path */
    r = sh("cd /tmp && ninja -C '%s/b1' -n >/dev/null && ninja -C '%s/b1' tools/gdb-bias", tree,
           tree);
    cr_expect_eq(r.status, 0, "%s", r.out);
    snprintf(path[0], sizeof path[0], "%s/b1/tools/gdb-bias", tree);
    struct stat st;
    cr_expect_eq(stat(path[0], &st), 0, "ninja -C b1 built b1/tools/gdb-bias:\n%s", r.out);
    /* a kernel object of each arch and a host one: their include paths
     * resolve from the build directory too (idlc and its headers first) */
    r = sh("cd /tmp && ninja -C '%s/b1' mips/kernel/main.c.o x86/kernel/main.c.o "
           "host/kernel/vm/ops.c.o >/dev/null",
           tree);
    cr_expect_eq(r.status, 0, "%s", r.out);
    snprintf(path[0], sizeof path[0], "%s/build/tools/gdb-bias", tree);
    cr_expect_eq(stat(path[0], &st), -1, "and nothing in build/");
    r = sh("cd '%s' && ninja -n build/x86/kernel.elf >/dev/null", tree);
    cr_expect_eq(r.status, 0, "ninja in the root still drives build/: %s", r.out);

    /* ninja re-runs configure for b1 into b1, from anywhere */
    r = sh("cd '%s' && sleep 1 && touch build.ninja.in && ninja -C b1 build.ninja && "
           "grep -c 'arch = mips' b1/build.ninja && cmp -s build.ninja root.ninja.saved",
           tree);
    cr_expect_eq(r.status, 0, "regenerating b1 keeps its options and root's file: %s", r.out);
}

Test(build_configure, builddir_is_relative_to_where_configure_runs)
{
    struct sh_result r = sh("mkdir '%s/elsewhere' && cd '%s/elsewhere' && ../configure "
                            "--builddir=out && test -f out/build.ninja && test ! -e ../out",
                            tree, tree);
    cr_expect_eq(r.status, 0, "%s", r.out);
}

/* git status in a checkout shows no build output, wherever it went. */
Test(build_configure, build_directories_are_git_ignored)
{
    if (sh("command -v git").status != 0)
        cr_skip_test("no git (a CI checkout has it)");
    struct sh_result r =
        sh("cd '%s' && git init -q && ./configure >/dev/null && "
           "./configure --builddir=b1 >/dev/null && "
           "./configure --builddir=sub/b2 >/dev/null && ninja -C b1 tools/gdb-bias "
           ">/dev/null && git status --porcelain --untracked-files=all | "
           "grep -E '^.. (b1|sub|build)/|build\\.ninja$' || echo clean",
           tree);
    cr_expect_str_eq(r.out, "clean\n");
}

/* The placement of each service reaches both boot archives' manifest:
 * the component file's default, or --place, in either spelling. */
Test(build_configure, place_writes_the_manifest)
{
    static const struct {
        const char *args, *line;
    } runs[] = {
        {"", "fs kernel\ngfx kernel\nkv kernel\nnet kernel\n"},
        {"--place kv=process --place gfx=process",
         "fs kernel\ngfx process\nkv process\nnet kernel\n"},
        {"--place=kv=kernel --place fs=process", "fs process\ngfx kernel\nkv kernel\nnet kernel\n"},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        struct sh_result r = sh("cd '%s' && ./configure %s", tree, runs[i].args);
        cr_assert_eq(r.status, 0, "%s: %s", runs[i].args, r.out);
        for (int a = 0; a < 2; a++) {
            char path[256];
            snprintf(path, sizeof path, "%s/build/%s/bootfs/services", tree, a ? "mips" : "x86");
            cr_expect_str_eq(slurp(path), runs[i].line, "%s (%s)", runs[i].args, path);
        }
    }
}
