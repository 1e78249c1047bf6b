// Drives libclang: every source is handed over as an unsaved file holding
// its blanked text under its real name, so clang reads no temporary file and
// its diagnostics point into the user's .idl files.
#include "idlc.h"
#include "clangutil.h"

#include <clang-c/Index.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

extern const char idlc_prelude_name[];
extern const char idlc_prelude[];
extern const char idlc_std_dir[];
extern const char *const idlc_std_headers[];

// Finds the source clang calls `name`; NULL for the prelude and unknowns.
struct source *sources_by_name(struct sources *all, const char *name)
{
    for (int i = 0; i < all->n; i++)
        if (all->v[i].real && !strcmp(all->v[i].real, name))
            return &all->v[i];
    return NULL;
}

// Maps a clang location to the user's file and its byte offset.
struct source *loc_source(struct sources *all, CXSourceLocation loc, struct pos *pos, size_t *off)
{
    CXFile file;
    unsigned line, col, o;
    clang_getExpansionLocation(loc, &file, &line, &col, &o);
    CXString name = clang_getFileName(file);
    const char *s = clang_getCString(name);
    struct source *src = s ? sources_by_name(all, s) : NULL;
    clang_disposeString(name);
    // clang's offsets count the ';'s idlc inserted; lines come from the
    // user's text.
    size_t orig = src ? source_orig_off(src, o) : o;
    if (pos)
        *pos = src ? source_pos(src, orig) : (struct pos){all->v[0].path, 0, 0};
    if (off)
        *off = orig;
    (void)line;
    (void)col;
    return src;
}

// The identifier at a position of a user's file, for messages that name it.
static char *ident_at(const struct source *src, size_t off)
{
    size_t end = off;
    while (end < src->len && (isalnum((unsigned char)src->text[end]) || src->text[end] == '_'))
        end++;
    return xstrndup(src->text + off, end - off);
}

// Duplicate methods are idlc's to report, in its words (check.c), with the
// names the vtbl will have (a propput and a propputref of one property
// differ only there).
static bool idlc_reports(const char *msg)
{
    return !strcmp(msg, "class member cannot be redeclared") ||
           !strcmp(msg, "functions that differ only in their return type cannot be overloaded");
}

// Says what clang's C++ wording means in IDL terms.
static void report_one(struct sources *all, CXDiagnostic d)
{
    struct pos pos;
    size_t off;
    CXSourceLocation loc = clang_getDiagnosticLocation(d);
    struct source *src = loc_source(all, loc, &pos, &off);
    char *msg = cx_string(clang_getDiagnosticSpelling(d));
    if (!src) { // in a C header the IDL includes
        CXFile file;
        unsigned line, col;
        clang_getExpansionLocation(loc, &file, &line, &col, NULL);
        char *name = cx_string(clang_getFileName(file));
        diag_error((struct pos){name[0] ? name : all->v[0].path, line, col}, "%s", msg);
        free(name);
    } else if (!strcmp(msg, "expected class name")) {
        char *name = ident_at(src, off);
        diag_error(pos, "base interface '%s' is not declared", name);
        free(name);
    } else if (!strcmp(msg, "base class has incomplete type")) {
        char *name = ident_at(src, off);
        diag_error(pos, "base interface '%s' is declared but not defined (an inheritance cycle?)",
                   name);
        free(name);
    } else {
        diag_error(pos, "%s", msg);
    }
    free(msg);
}

static bool report_diagnostics(CXTranslationUnit tu, struct sources *all)
{
    bool ok = true;
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        char *msg = cx_string(clang_getDiagnosticSpelling(d));
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error && !idlc_reports(msg)) {
            report_one(all, d);
            ok = false;
        }
        free(msg);
        clang_disposeDiagnostic(d);
    }
    return ok;
}

static const char *const base_args[] = {
    "-x",         "c++",         "-std=c++11",          "-Dinterface=struct",
    "-nostdinc",  "-nostdinc++", "-fno-spell-checking", "-ferror-limit=50",
    "-w",         "-include",    idlc_prelude_name,     "-I",
    idlc_std_dir,
};
#define NBASE (sizeof(base_args) / sizeof(base_args[0]))

static bool set_real_paths(struct sources *all)
{
    for (int i = 0; i < all->n; i++) {
        all->v[i].real = realpath(all->v[i].path, NULL);
        if (!all->v[i].real) {
            fprintf(stderr, "idlc: cannot resolve '%s'\n", all->v[i].path);
            return false;
        }
    }
    return true;
}

// Parses the main file (all->v[0]) with its imports force-included in
// dependency order, reports clang's errors and builds the model.
bool parse_sources(struct sources *all, struct model *m, const char *const *incdirs, int nincdirs)
{
    if (!set_real_paths(all))
        return false;
    int nstd = 0;
    while (idlc_std_headers[nstd])
        nstd++;
    int nargs = (int)NBASE + 2 * (all->n - 1) + 2 * nincdirs;
    const char **args = xcalloc((size_t)nargs, sizeof(char *));
    int nfiles = all->n + 1 + nstd;
    struct CXUnsavedFile *files = xcalloc((size_t)nfiles, sizeof(*files));
    char **std_paths = xcalloc((size_t)nstd + 1, sizeof(char *));
    memcpy(args, base_args, sizeof(base_args));
    int a = (int)NBASE;
    for (int i = 0; i < nincdirs; i++) { // for the C headers an IDL file #includes
        args[a++] = "-I";
        args[a++] = incdirs[i];
    }
    files[0] = (struct CXUnsavedFile){idlc_prelude_name, idlc_prelude, strlen(idlc_prelude)};
    for (int i = 0; i < all->n; i++) {
        files[i + 1] =
            (struct CXUnsavedFile){all->v[i].real, all->v[i].clang_text, all->v[i].clang_len};
        if (i > 0) {
            args[a++] = "-include";
            args[a++] = all->v[i].real;
        }
    }
    // <stdint.h> and friends: their types are the prelude's already.
    for (int i = 0; i < nstd; i++) {
        std_paths[i] = xasprintf("%s/%s", idlc_std_dir, idlc_std_headers[i]);
        files[all->n + 1 + i] = (struct CXUnsavedFile){std_paths[i], "", 0};
    }
    CXIndex index = clang_createIndex(0, 0);
    CXTranslationUnit tu = NULL;
    enum CXErrorCode err = clang_parseTranslationUnit2(
        index, all->v[0].real, args, nargs, files, (unsigned)nfiles,
        CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_KeepGoing, &tu);
    bool ok = err == CXError_Success && tu;
    if (!ok)
        fprintf(stderr, "idlc: libclang failed to parse '%s'\n", all->v[0].path);
    else if (report_diagnostics(tu, all))
        ok = model_build(tu, all, m);
    else
        ok = false;
    if (tu)
        clang_disposeTranslationUnit(tu);
    clang_disposeIndex(index);
    for (int i = 0; i < nstd; i++)
        free(std_paths[i]);
    free(std_paths);
    free(args);
    free(files);
    return ok;
}
