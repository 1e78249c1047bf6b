/* ./configure, run on a copy of the source tree: options, errors, the
 * files it writes, and that a second run with the same options changes
 * nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

struct sh_result {
    int status;
    char out[8192];
};

/* Run a shell command, capturing stdout and stderr together. */
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
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return r;
}

static char tree[64];

/* A copy of the sources without build outputs. */
static void copy_tree(void)
{
    strcpy(tree, "/tmp/rialto-configure-XXXXXX");
    cr_assert_not_null(mkdtemp(tree));
    struct sh_result r = sh("cd '%s' && tar -c --exclude=./build --exclude=./build.ninja "
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

    /* the generated file is a valid Ninja manifest that can build a kernel */
    r = sh("cd '%s' && ninja -n build/x86/kernel.elf build/mips/kernel.elf", tree);
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
