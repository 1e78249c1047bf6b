// idlc's shared model: the source files, the attribute side table and the
// interfaces the back ends generate code from. One index of cross-file
// prototypes, grouped by the file that defines them.
#ifndef IDLC_H
#define IDLC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define IDLC_NO_PARAM (-1)

// One position in a source file, as the user sees it (1-based).
struct pos {
    const char *file;
    unsigned line, col;
};

// One attribute of a bracketed list, e.g. size_is(n): name "size_is", arg "n".
struct attr {
    char *name;
    char *arg; // NULL when the attribute has no parenthesised argument
    struct pos pos;
    bool used;
};

// A bracketed attribute list blanked out of the source, keyed by where the
// next token starts so it can be attached to the declaration that follows.
struct attr_list {
    size_t next_off; // offset of the first token after ']'
    struct pos pos;  // position of '['
    struct attr *attrs;
    int nattrs;
    bool used;
};

// An import statement: the quoted name and where it was written.
struct import {
    char *name;
    struct pos pos;
};

// cpp_quote("text"): copied into the generated header where it stands.
struct quote {
    char *text; // unescaped
    size_t off;
    struct pos pos;
};

// One interface a coclass lists: `[default] interface IFoo;`.
struct coclass_member {
    char *name;
    bool is_default;
    struct pos pos;
};

// coclass NAME { ... }: a class identifier and the interfaces it implements.
struct coclass {
    char *name;
    unsigned char uuid[16];
    bool has_uuid;
    struct coclass_member *members;
    int nmembers;
    size_t off;
    struct pos pos;
};

// library NAME { ... }: its body is ordinary IDL; it contributes a LIBID.
struct library {
    char *name;
    unsigned char uuid[16];
    bool has_uuid;
    size_t off;
    struct pos pos;
};

// A source file: the original text and the copy clang parses.
struct source {
    char *path;    // as given on the command line or resolved from an import
    char *real;    // absolute path: the name clang knows the file by
    char *text;    // original contents
    char *blanked; // MIDL-only syntax replaced by spaces
    size_t len;
    // What clang parses: blanked with a ';' inserted before each offset of
    // ins (a MIDL interface may end without one). idlc maps clang's offsets
    // back through ins (source_orig_off) and computes lines itself.
    char *clang_text;
    size_t clang_len;
    size_t *ins;
    int nins;
    struct attr_list *lists;
    int nlists;
    struct import *imports;
    int nimports;
    struct quote *quotes;
    int nquotes;
    struct coclass *coclasses;
    int ncoclasses;
    struct library *libraries;
    int nlibraries;
    struct pos *cpp_in_iface; // cpp_quote inside an interface body: refused
    int ncpp_in_iface;
};

enum arg_kind {
    ARG_VALUE,
    ARG_IN_PTR,
    ARG_OUT_PTR,
    ARG_INOUT_PTR,
    ARG_STRING,
    ARG_IFACE_IN,
    ARG_IFACE_OUT,
    ARG_IFACE_IN_ARRAY,  // [in, size_is(n)] IFoo **
    ARG_IFACE_OUT_ARRAY, // [out, size_is(n)] IFoo **
};

// A size_is or length_is expression (expr.c).
enum expr_op { EX_CONST, EX_PARAM, EX_DEREF, EX_ADD, EX_SUB, EX_MUL, EX_DIV };
struct expr {
    enum expr_op op;
    uint32_t value; // EX_CONST
    int param;      // EX_PARAM, EX_DEREF: the parameter's index
    struct expr *l, *r;
};

struct param {
    char *name;
    char *type;    // C spelling of the declared type
    char *pointee; // C spelling of the pointed-to type, for pointers
    char *iface;   // interface name for interface pointers, NULL if iid_is
    int record;    // index in model.records of the pointee with embedded pointers, or -1
    enum arg_kind kind;
    bool in, out, unique, string, is_integer, is_void_pp, is_void_p, retval;
    bool has_size;              // size_is given: a pointer to many elements
    bool points_to_integer;     // a pointer to one integer: may be named by *p
    struct expr *size, *length; // size_is, length_is, or NULL
    int iid_is;                 // parameter index or IDLC_NO_PARAM
    struct pos pos;
};

struct method {
    char *name; // as in the vtbl: get_X, put_X, putref_X for properties
    char *ret;  // return type: SCODE or HRESULT unless the method is local
    bool local; // [local], or in a [local] interface: no proxy, stub or signature
    struct param *params;
    int nparams;
    struct pos pos;
};

struct iface {
    char *name;
    char *base; // NULL only for IUnknown
    unsigned char uuid[16];
    bool has_uuid;
    bool main_file; // declared in the file being compiled (not an import)
    bool local;     // [local]: header only
    size_t off;     // where the definition starts, for the header's order
    struct method *methods;
    int nmethods;
    struct pos pos;
};

// A pointer embedded in a struct: [string] char *s or [size_is(n)] T *p.
struct field_ptr {
    char *field;
    char *pointee;
    char *size_field; // NULL unless size_is
    bool string, unique;
};

// A struct declared in any of the sources, with its embedded pointers.
struct record {
    char *name; // C spelling of the type
    struct field_ptr *ptrs;
    int nptrs;
};

// A top-level declaration of the main file other than an interface, kept in
// source order: its C text is emitted into the header as is.
struct decl {
    char *text;
    size_t off; // where it starts in the main file
};

struct model {
    struct iface *ifaces;
    int nifaces;
    struct decl *decls;
    int ndecls;
    char **includes; // header names for the main file's imports
    int nincludes;
    struct record *records;
    int nrecords;
    int *order; // main-file interfaces in definition order (indices into ifaces)
    int norder;
    const struct source *main; // for its coclasses, libraries and quotes
};

// diag.c
void diag_error(struct pos pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int diag_count(void);
void diag_reset(void);

// util.c
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *read_file(const char *path, size_t *len);
#define GROW(arr, n) ((arr) = xrealloc((arr), ((size_t)(n) + 1) * sizeof(*(arr))), &(arr)[(n)++])

// blank.c
bool source_load(struct source *src, const char *path, const struct pos *from);
void source_free(struct source *src);
struct pos source_pos(const struct source *src, size_t off);
size_t source_orig_off(const struct source *src, size_t clang_off);

// attr.c
bool attr_parse_list(struct attr_list *list, const char *text, size_t len, const struct source *src,
                     size_t off);
void attr_list_free(struct attr_list *list);
bool uuid_parse(const char *s, unsigned char out[16]);

// expr.c
struct expr *expr_parse(const struct attr *a, int (*lookup)(void *ctx, const char *name), void *ctx,
                        const char *owner);
void expr_free(struct expr *e);
bool expr_refs_ok(const struct expr *e, bool (*fn)(void *ctx, const struct expr *ref), void *ctx);
int expr_simple_param(const struct expr *e);
struct method;
void expr_emit_c(FILE *f, const struct expr *e, const struct method *md, const char *prefix);
void expr_emit_sig(FILE *f, const struct expr *e);

// imports.c
struct sources {
    struct source *v; // v[0] is the main file; imports in dependency order follow
    int n;
};
bool imports_load(struct sources *all, const char *main_path, const char *const *incdirs,
                  int nincdirs);
void sources_free(struct sources *all);
bool write_depfile(const char *depfile, const char *target, const struct sources *all);

// parse.c
bool parse_sources(struct sources *all, struct model *m, const char *const *incdirs, int nincdirs);

// model.c, type.c
const char *import_alias(const char *name);
void model_free(struct model *m);
const struct iface *model_find(const struct model *m, const char *name);

// check.c
void check_model(struct model *m, struct sources *all);

// emit_*.c
bool emit_all(const struct model *m, const char *outdir, const char *base, const char *idlname);
void emit_header(FILE *f, const struct model *m, const char *base, const char *idlname);
void emit_proxy(FILE *f, const struct model *m, const char *base, const char *idlname);
void emit_stub(FILE *f, const struct model *m, const char *base, const char *idlname);
void emit_sig(FILE *f, const struct model *m, const char *base, const char *idlname);
int iface_all_methods(const struct model *m, const struct iface *it, const struct iface **owners,
                      const struct method **methods, int max);

// driver.c
int idlc_main(int argc, char **argv);
int idlc_compile(const char *path, const char *outdir, const char *depfile,
                 const char *const *incdirs, int nincdirs);

#endif
