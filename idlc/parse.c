// Drives libclang: every source is handed over as an unsaved file holding
// its blanked text under its real name, so clang reads no temporary file and
// its diagnostics point into the user's .idl files.
#include "idlc.h"
#include "clangutil.h"

#include <clang-c/Index.h>
#include <stdlib.h>
#include <string.h>

extern const char idlc_prelude_name[];
extern const char idlc_prelude[];

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
    if (pos)
        *pos = (struct pos){src ? src->path : all->v[0].path, src ? line : 0, src ? col : 0};
    if (off)
        *off = o;
    return src;
}

// Says what clang's C++ wording means in IDL terms.
static const char *idl_wording(const char *msg)
{
    static const char *const map[][2] = {
        {"expected class name", "base interface is not declared"},
        {"base class has incomplete type",
         "base interface is declared but not defined (an inheritance cycle?)"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(msg, map[i][0]))
            return map[i][1];
    return msg;
}

static bool report_diagnostics(CXTranslationUnit tu, struct sources *all)
{
    bool ok = true;
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
            struct pos pos;
            loc_source(all, clang_getDiagnosticLocation(d), &pos, NULL);
            CXString msg = clang_getDiagnosticSpelling(d);
            diag_error(pos, "%s", idl_wording(clang_getCString(msg)));
            clang_disposeString(msg);
            ok = false;
        }
        clang_disposeDiagnostic(d);
    }
    return ok;
}

static const char *const base_args[] = {
    "-x",        "c++",         "-std=c++11",          "-Dinterface=struct",
    "-nostdinc", "-nostdinc++", "-fno-spell-checking", "-ferror-limit=50",
    "-w",        "-include",    idlc_prelude_name,
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
bool parse_sources(struct sources *all, struct model *m)
{
    if (!set_real_paths(all))
        return false;
    int nargs = (int)NBASE + 2 * (all->n - 1);
    const char **args = xcalloc((size_t)nargs, sizeof(char *));
    struct CXUnsavedFile *files = xcalloc((size_t)all->n + 1, sizeof(*files));
    memcpy(args, base_args, sizeof(base_args));
    files[0] = (struct CXUnsavedFile){idlc_prelude_name, idlc_prelude, strlen(idlc_prelude)};
    for (int i = 0; i < all->n; i++) {
        files[i + 1] = (struct CXUnsavedFile){all->v[i].real, all->v[i].blanked, all->v[i].len};
        if (i > 0) {
            args[NBASE + 2 * (i - 1)] = "-include";
            args[NBASE + 2 * (i - 1) + 1] = all->v[i].real;
        }
    }
    CXIndex index = clang_createIndex(0, 0);
    CXTranslationUnit tu = NULL;
    enum CXErrorCode err = clang_parseTranslationUnit2(
        index, all->v[0].real, args, nargs, files, (unsigned)all->n + 1,
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
    free(args);
    free(files);
    return ok;
}
