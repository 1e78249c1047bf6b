// Resolves `import "X.idl";` statements: relative to the importing file's
// directory first, then each -I directory. Imported files are loaded once,
// in dependency order, so clang sees every declaration before its use.
#include "idlc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_IMPORT_DEPTH 64

struct resolver {
    struct sources *all;
    char **real; // realpath of each loaded source, parallel to all->v
    const char *const *incdirs;
    int nincdirs;
};

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

// Returns the path an import resolves to, or NULL.
static char *find_import(const struct resolver *r, const char *importer, const char *name)
{
    if (name[0] == '/')
        return is_file(name) ? xstrdup(name) : NULL;
    char *dir = dir_of(importer);
    char *path = strcmp(dir, ".") ? xasprintf("%s/%s", dir, name) : xstrdup(name);
    free(dir);
    for (int i = 0; is_file(path) == false; i++) {
        free(path);
        if (i >= r->nincdirs)
            return NULL;
        path = xasprintf("%s/%s", r->incdirs[i], name);
    }
    return path;
}

static int find_loaded(const struct resolver *r, const char *real)
{
    for (int i = 0; i < r->all->n; i++)
        if (r->real[i] && !strcmp(r->real[i], real))
            return i;
    return -1;
}

static bool load_imports(struct resolver *r, struct source *src, int depth);

// Loads one imported file (and, first, its own imports) unless already loaded.
static bool load_one(struct resolver *r, const struct import *im, const char *importer, int depth)
{
    const char *name = import_alias(im->name);
    if (!name)
        return true; // declares nothing idlc does not know
    char *path = find_import(r, importer, name);
    if (!path) {
        diag_error(im->pos, "cannot find imported file '%s'", im->name);
        return false;
    }
    char *real = realpath(path, NULL);
    if (!real || find_loaded(r, real) >= 0) {
        free(real);
        free(path);
        return true;
    }
    if (depth >= MAX_IMPORT_DEPTH) {
        diag_error(im->pos, "imports nested too deeply");
        free(real);
        free(path);
        return false;
    }
    struct source src;
    bool ok = source_load(&src, path, &im->pos);
    free(path);
    // Mark it loaded before recursing so an import cycle ends here.
    r->real = xrealloc(r->real, ((size_t)r->all->n + 1) * sizeof(char *));
    r->real[r->all->n] = real;
    int idx = r->all->n;
    *GROW(r->all->v, r->all->n) = src;
    struct source copy = r->all->v[idx];
    ok = ok && load_imports(r, &copy, depth + 1);
    // Move it after its own imports: dependency order.
    memmove(&r->all->v[idx], &r->all->v[idx + 1], (size_t)(r->all->n - idx - 1) * sizeof(copy));
    memmove(&r->real[idx], &r->real[idx + 1], (size_t)(r->all->n - idx - 1) * sizeof(char *));
    r->all->v[r->all->n - 1] = copy;
    r->real[r->all->n - 1] = real;
    return ok;
}

static bool load_imports(struct resolver *r, struct source *src, int depth)
{
    bool ok = true;
    for (int i = 0; i < src->nimports; i++)
        ok = load_one(r, &src->imports[i], src->path, depth) && ok;
    return ok;
}

// Loads the main file into all->v[0] and its imports, transitively, after it.
bool imports_load(struct sources *all, const char *main_path, const char *const *incdirs,
                  int nincdirs)
{
    struct resolver r = {all, NULL, incdirs, nincdirs};
    memset(all, 0, sizeof(*all));
    struct source *main_src = GROW(all->v, all->n);
    bool ok = source_load(main_src, main_path, NULL);
    r.real = xcalloc(1, sizeof(char *));
    r.real[0] = realpath(main_path, NULL);
    struct source copy = all->v[0];
    ok = load_imports(&r, &copy, 0) && ok;
    all->v[0] = copy;
    for (int i = 0; i < all->n; i++)
        free(r.real[i]);
    free(r.real);
    return ok;
}

void sources_free(struct sources *all)
{
    for (int i = 0; i < all->n; i++)
        source_free(&all->v[i]);
    free(all->v);
    memset(all, 0, sizeof(*all));
}

static void put_escaped(FILE *f, const char *path)
{
    for (; *path; path++) {
        if (*path == ' ' || *path == '#' || *path == '\\')
            fputc('\\', f);
        if (*path == '$')
            fputc('$', f);
        fputc(*path, f);
    }
}

// Writes `target: main.idl imported.idl...` so Ninja (deps = gcc) rebuilds
// the outputs when any imported file changes.
bool write_depfile(const char *depfile, const char *target, const struct sources *all)
{
    FILE *f = fopen(depfile, "w");
    if (!f) {
        fprintf(stderr, "idlc: cannot write '%s'\n", depfile);
        return false;
    }
    put_escaped(f, target);
    fputc(':', f);
    for (int i = 0; i < all->n; i++) {
        fputs(" \\\n  ", f);
        put_escaped(f, all->v[i].path);
    }
    fputc('\n', f);
    return fclose(f) == 0;
}
