// Test helpers: run idlc in a child process with stdout and stderr captured.
#include "run_idlc.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

char *temp_dir(void)
{
    char *d = strdup("/tmp/idlc-test-XXXXXX");
    cr_assert_not_null(mkdtemp(d));
    return d;
}

void write_text(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void remove_tree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

struct idlc_result run_idlc(const char *dir, const char *const *argv)
{
    char errpath[4096], outpath[4096];
    snprintf(errpath, sizeof(errpath), "%s/.stderr", dir);
    snprintf(outpath, sizeof(outpath), "%s/.stdout", dir);
    const char *args[64] = {IDLC_PATH};
    for (int i = 0; argv[i] && i < 62; i++)
        args[i + 1] = argv[i];
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int e = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int o = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (e < 0 || o < 0 || chdir(dir) != 0)
            _exit(126);
        dup2(e, 2);
        dup2(o, 1);
        execv(IDLC_PATH, (char *const *)args);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    struct idlc_result r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.err = read_text(errpath);
    r.out = read_text(outpath);
    remove(errpath);
    remove(outpath);
    return r;
}

void idlc_result_free(struct idlc_result *r)
{
    free(r->err);
    free(r->out);
}
