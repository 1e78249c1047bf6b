// IDL structs: their fields must be plain data, or pointers the transport
// can follow ([string] char *, or [size_is(count_field)] T *).
#include "clangutil.h"

#include <stdlib.h>
#include <string.h>

struct rec_walk {
    struct model *m;
    struct sources *all;
    int rec;
    bool ok;
    char **ints; // names of integer fields, for size_is
    int nints;
    const struct attr **sizes; // size_is attribute per entry of ptrs
};

static bool field_error(struct rec_walk *rw, CXCursor c, const char *fmt, const char *name)
{
    diag_error(cursor_pos(rw->all, c), fmt, name);
    rw->ok = false;
    return false;
}

static void add_ptr(struct rec_walk *rw, CXCursor c, const struct attr_list *l, char *name)
{
    CXType pointee = clang_getPointeeType(clang_getCanonicalType(clang_getCursorType(c)));
    struct record *r = &rw->m->records[rw->rec];
    struct field_ptr fp = {name, type_name(pointee), NULL, attr_find(l, "string") != NULL,
                           attr_find(l, "unique") != NULL};
    const struct attr *size = attr_find(l, "size_is");
    int rec;
    if (fp.string && !is_char_kind(pointee.kind))
        field_error(rw, c, "[string] field '%s' must be a char pointer", name);
    else if (!fp.string && !size)
        field_error(rw, c, "pointer field '%s' needs [string] or [size_is]", name);
    else if (!fp.string && (!is_plain(rw->m, pointee, &rec) || rec >= 0))
        field_error(rw, c, "pointer field '%s' must point to scalars", name);
    rw->sizes = xrealloc(rw->sizes, ((size_t)r->nptrs + 1) * sizeof(*rw->sizes));
    rw->sizes[r->nptrs] = fp.string ? NULL : size;
    *GROW(r->ptrs, r->nptrs) = fp;
}

static enum CXChildVisitResult visit_field(CXCursor c, CXCursor parent, CXClientData data)
{
    struct rec_walk *rw = data;
    (void)parent;
    if (clang_getCursorKind(c) != CXCursor_FieldDecl) {
        field_error(rw, c, "%s", "nested declarations in a struct are not supported");
        return CXChildVisit_Continue;
    }
    size_t start, name_off;
    struct source *src = cursor_start(rw->all, c, &start);
    loc_source(rw->all, clang_getCursorLocation(c), NULL, &name_off);
    const struct attr_list *l = src ? attrs_take(src, start, name_off) : NULL;
    if (!attrs_check(l, SITE_FIELD))
        rw->ok = false;
    char *name = cursor_name(c);
    CXType t = clang_getCanonicalType(clang_getCursorType(c));
    int rec;
    if (t.kind == CXType_Pointer) {
        add_ptr(rw, c, l, name);
        return CXChildVisit_Continue;
    }
    if (l && l->nattrs)
        field_error(rw, c, "attributes of field '%s' apply only to pointers", name);
    else if (!is_plain(rw->m, t, &rec) || (rec >= 0 && rw->m->records[rec].nptrs))
        field_error(rw, c, "unsupported type of field '%s'", name);
    if (is_integer_kind(t.kind)) {
        *GROW(rw->ints, rw->nints) = name;
        return CXChildVisit_Continue;
    }
    free(name);
    return CXChildVisit_Continue;
}

static void resolve_sizes(struct rec_walk *rw)
{
    struct record *r = &rw->m->records[rw->rec];
    for (int i = 0; i < r->nptrs; i++) {
        const struct attr *a = rw->sizes[i];
        if (!a)
            continue;
        int j = 0;
        while (j < rw->nints && strcmp(rw->ints[j], a->arg))
            j++;
        if (j == rw->nints) {
            diag_error(a->pos, "size_is: '%s' is not an integer field of this struct", a->arg);
            rw->ok = false;
        } else {
            r->ptrs[i].size_field = xstrdup(a->arg);
        }
    }
}

bool record_add(struct model *m, struct sources *all, CXCursor c)
{
    char *key = unqualified_name(clang_getCanonicalType(clang_getCursorType(c)));
    if (record_find(m, key) >= 0) {
        free(key);
        return true;
    }
    struct record *r = GROW(m->records, m->nrecords);
    memset(r, 0, sizeof(*r));
    r->name = key;
    struct rec_walk rw = {m, all, m->nrecords - 1, true, NULL, 0, NULL};
    clang_visitChildren(c, visit_field, &rw);
    resolve_sizes(&rw);
    for (int i = 0; i < rw.nints; i++)
        free(rw.ints[i]);
    free(rw.ints);
    free(rw.sizes);
    return rw.ok;
}
