// Helpers shared by the files that walk clang's AST.
#ifndef IDLC_CLANGUTIL_H
#define IDLC_CLANGUTIL_H

#include "idlc.h"

#include <clang-c/Index.h>

// parse.c
struct source *sources_by_name(struct sources *all, const char *name);
struct source *loc_source(struct sources *all, CXSourceLocation loc, struct pos *pos, size_t *off);

// model.c
bool model_build(CXTranslationUnit tu, struct sources *all, struct model *m);

// clangutil.c
char *cx_string(CXString s);
char *cursor_name(CXCursor c);
char *type_name(CXType t);
char *unqualified_name(CXType t);
struct source *cursor_start(struct sources *all, CXCursor c, size_t *off);
struct pos cursor_pos(struct sources *all, CXCursor c);
struct attr_list *attrs_take(struct source *src, size_t start, size_t name_off);

// attrcheck.c
enum attr_site {
    SITE_IFACE,
    SITE_METHOD,
    SITE_PARAM,
    SITE_FIELD,
    SITE_TYPE,
    SITE_LIBRARY, // library and coclass
    SITE_MEMBER,  // an interface listed in a coclass
};
bool attrs_check(const struct attr_list *list, enum attr_site site);
const struct attr *attr_find(const struct attr_list *list, const char *name);

// type.c
bool classify_param(struct model *m, CXType t, struct param *p, struct pos type_pos, bool local);
bool record_add(struct model *m, struct sources *all, CXCursor c);
int record_find(const struct model *m, const char *name);
bool is_plain(const struct model *m, CXType t, int *rec);
bool is_integer_kind(enum CXTypeKind k);
bool is_char_kind(enum CXTypeKind k);

// decl.c
bool decl_add(struct model *m, struct sources *all, CXCursor c);

#endif
