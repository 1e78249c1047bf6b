// Walks clang's AST of the parsed IDL into idlc's model: interfaces with
// their methods and parameters, and the main file's other declarations.
#include "clangutil.h"

#include <stdlib.h>
#include <string.h>

struct walk {
    struct model *m;
    struct sources *all;
    bool ok;
};

static bool is_interface(struct sources *all, CXCursor c)
{
    size_t off;
    struct source *src = cursor_start(all, c, &off);
    return src && off + 9 <= src->len && !memcmp(src->text + off, "interface", 9);
}

static struct iface *find_iface(struct model *m, const char *name)
{
    for (int i = 0; i < m->nifaces; i++)
        if (!strcmp(m->ifaces[i].name, name))
            return &m->ifaces[i];
    return NULL;
}

const struct iface *model_find(const struct model *m, const char *name)
{
    return find_iface((struct model *)m, name);
}

// The attribute list in front of declaration c, checked for site.
static struct attr_list *take_attrs(struct walk *w, CXCursor c, enum attr_site site)
{
    size_t start, name_off;
    struct source *src = cursor_start(w->all, c, &start);
    loc_source(w->all, clang_getCursorLocation(c), NULL, &name_off);
    struct attr_list *l = src ? attrs_take(src, start, name_off) : NULL;
    if (!attrs_check(l, site))
        w->ok = false;
    return l;
}

// Pass 1: every interface name, so parameters can recognise interface types.
static enum CXChildVisitResult collect_iface(CXCursor c, CXCursor parent, CXClientData data)
{
    struct walk *w = data;
    (void)parent;
    size_t off;
    struct source *src = cursor_start(w->all, c, &off);
    if (!src || clang_getCursorKind(c) != CXCursor_StructDecl || !is_interface(w->all, c))
        return CXChildVisit_Continue;
    char *name = cursor_name(c);
    if (find_iface(w->m, name)) {
        free(name);
        return CXChildVisit_Continue;
    }
    struct iface *it = GROW(w->m->ifaces, w->m->nifaces);
    memset(it, 0, sizeof(*it));
    it->name = name;
    it->pos = cursor_pos(w->all, c);
    it->main_file = src == &w->all->v[0];
    return CXChildVisit_Continue;
}

static int find_param(const struct method *md, const char *name)
{
    for (int i = 0; i < md->nparams; i++)
        if (!strcmp(md->params[i].name, name))
            return i;
    return IDLC_NO_PARAM;
}

// Resolves size_is/length_is/iid_is(name) to a parameter index.
static int resolve_ref(struct walk *w, const struct method *md, const struct attr *a, bool integer)
{
    if (!a)
        return IDLC_NO_PARAM;
    int i = find_param(md, a->arg);
    if (i == IDLC_NO_PARAM) {
        diag_error(a->pos, "%s: '%s' is not a parameter of method '%s'", a->name, a->arg, md->name);
        w->ok = false;
    } else if (integer && !md->params[i].is_integer) {
        diag_error(a->pos, "%s: parameter '%s' is not an integer", a->name, a->arg);
        w->ok = false;
        i = IDLC_NO_PARAM;
    } else if (!integer && strcmp(md->params[i].pointee ? md->params[i].pointee : "", "IID") &&
               strcmp(md->params[i].pointee ? md->params[i].pointee : "", "const IID")) {
        diag_error(a->pos, "%s: parameter '%s' is not an IID pointer (REFIID)", a->name, a->arg);
        w->ok = false;
        i = IDLC_NO_PARAM;
    }
    return i;
}

static void build_param(struct walk *w, struct method *md, CXCursor c, const struct attr_list **al)
{
    struct param *p = GROW(md->params, md->nparams);
    memset(p, 0, sizeof(*p));
    p->name = cursor_name(c);
    p->pos = cursor_pos(w->all, c);
    p->size_is = p->length_is = p->iid_is = IDLC_NO_PARAM;
    p->record = -1;
    if (!p->name[0]) {
        diag_error(p->pos, "parameter %d of method '%s' needs a name", md->nparams, md->name);
        w->ok = false;
    }
    const struct attr_list *l = *al = take_attrs(w, c, SITE_PARAM);
    p->in = attr_find(l, "in") != NULL;
    p->out = attr_find(l, "out") != NULL;
    p->in = p->in || !p->out;
    p->unique = attr_find(l, "unique") != NULL;
    p->string = attr_find(l, "string") != NULL;
    p->iface = NULL;
    struct pos tpos;
    loc_source(w->all, clang_getRangeStart(clang_getCursorExtent(c)), &tpos, NULL);
    if (!classify_param(w->m, clang_getCursorType(c), p, tpos))
        w->ok = false;
    if (p->kind == ARG_VALUE) {
        static const char *const ptr_only[] = {"size_is", "length_is", "unique", "iid_is",
                                               "string"};
        for (size_t i = 0; i < sizeof(ptr_only) / sizeof(ptr_only[0]); i++) {
            const struct attr *a = attr_find(l, ptr_only[i]);
            if (a) {
                diag_error(a->pos, "attribute '%s' applies only to pointers", a->name);
                w->ok = false;
            }
        }
    }
}

static void resolve_params(struct walk *w, struct method *md, const struct attr_list **al)
{
    for (int i = 0; i < md->nparams; i++) {
        struct param *p = &md->params[i];
        if (p->kind == ARG_VALUE)
            continue;
        p->size_is = resolve_ref(w, md, attr_find(al[i], "size_is"), true);
        p->length_is = resolve_ref(w, md, attr_find(al[i], "length_is"), true);
        const struct attr *iid = attr_find(al[i], "iid_is");
        p->iid_is = resolve_ref(w, md, iid, false);
        if (iid && !p->is_void_pp) {
            diag_error(iid->pos, "iid_is applies only to void ** parameters");
            w->ok = false;
        }
    }
}

static bool method_qualifiers_ok(CXCursor c, struct method *md)
{
    const char *why = NULL;
    if (clang_CXXMethod_isStatic(c))
        why = "static";
    else if (clang_CXXMethod_isConst(c))
        why = "const";
    else if (clang_Cursor_isVariadic(c))
        why = "variadic";
    else if (clang_isCursorDefinition(c))
        why = "defined inline";
    if (why)
        diag_error(md->pos, "method '%s' cannot be %s", md->name, why);
    return why == NULL;
}

static void build_method(struct walk *w, struct iface *it, CXCursor c)
{
    struct method *md = GROW(it->methods, it->nmethods);
    memset(md, 0, sizeof(*md));
    md->name = cursor_name(c);
    md->pos = cursor_pos(w->all, c);
    take_attrs(w, c, SITE_METHOD);
    if (!method_qualifiers_ok(c, md))
        w->ok = false;
    char *ret = type_name(clang_getCursorResultType(c));
    if (strcmp(ret, "SCODE") && strcmp(ret, "HRESULT")) {
        diag_error(md->pos, "method '%s' must return SCODE or HRESULT, not '%s'", md->name, ret);
        w->ok = false;
    }
    free(ret);
    int n = clang_Cursor_getNumArguments(c);
    if (n > 250) {
        diag_error(md->pos, "method '%s' has too many parameters", md->name);
        w->ok = false;
        return;
    }
    const struct attr_list **al = xcalloc((size_t)n + 1, sizeof(*al));
    for (int i = 0; i < n; i++)
        build_param(w, md, clang_Cursor_getArgument(c, (unsigned)i), &al[i]);
    resolve_params(w, md, al);
    free(al);
}

struct iface_walk {
    struct walk *w;
    struct iface *it;
};

static void set_base(struct walk *w, struct iface *it, CXCursor c)
{
    CXCursor decl = clang_getTypeDeclaration(clang_getCursorType(c));
    char *name = cursor_name(decl);
    struct pos pos = cursor_pos(w->all, c);
    if (it->base) {
        diag_error(pos, "interface '%s' has more than one base interface", it->name);
        w->ok = false;
    } else if (!find_iface(w->m, name) || !is_interface(w->all, decl)) {
        diag_error(pos, "'%s' is not an interface", name);
        w->ok = false;
    } else {
        it->base = xstrdup(name);
    }
    free(name);
}

static enum CXChildVisitResult visit_member(CXCursor c, CXCursor parent, CXClientData data)
{
    struct iface_walk *iw = data;
    (void)parent;
    switch (clang_getCursorKind(c)) {
    case CXCursor_CXXBaseSpecifier:
        set_base(iw->w, iw->it, c);
        break;
    case CXCursor_CXXMethod:
        build_method(iw->w, iw->it, c);
        break;
    default:
        diag_error(cursor_pos(iw->w->all, c), "an interface may declare only methods");
        iw->w->ok = false;
    }
    return CXChildVisit_Continue;
}

static void build_uuid(struct walk *w, struct iface *it, const struct attr_list *l)
{
    const struct attr *u = attr_find(l, "uuid");
    if (!u) {
        diag_error(it->pos, "interface '%s' has no uuid attribute", it->name);
        w->ok = false;
    } else if (!u->arg || !uuid_parse(u->arg, it->uuid)) {
        diag_error(u->pos, "malformed uuid '%s': expected 8-4-4-4-12 hex digits",
                   u->arg ? u->arg : "");
        w->ok = false;
    } else {
        it->has_uuid = true;
    }
}

static void build_iface(struct walk *w, CXCursor c)
{
    char *name = cursor_name(c);
    struct iface *it = find_iface(w->m, name);
    free(name);
    if (!it || it->nmethods || it->base || it->has_uuid)
        return; // a redefinition: clang has reported it
    if (it->main_file)
        *GROW(w->m->order, w->m->norder) = (int)(it - w->m->ifaces);
    build_uuid(w, it, take_attrs(w, c, SITE_IFACE));
    struct iface_walk iw = {w, it};
    clang_visitChildren(c, visit_member, &iw);
    if (!it->base && strcmp(it->name, "IUnknown")) {
        diag_error(it->pos, "interface '%s' must inherit from IUnknown", it->name);
        w->ok = false;
    }
}

// Pass 2: interfaces of every file, records of every file, and the main
// file's other declarations for the header.
static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent, CXClientData data)
{
    struct walk *w = data;
    (void)parent;
    size_t off;
    struct source *src = cursor_start(w->all, c, &off);
    if (!src)
        return CXChildVisit_Continue;
    bool main_file = src == &w->all->v[0];
    enum CXCursorKind kind = clang_getCursorKind(c);
    if (kind == CXCursor_StructDecl && is_interface(w->all, c)) {
        if (clang_isCursorDefinition(c))
            build_iface(w, c);
        return CXChildVisit_Continue;
    }
    if (kind == CXCursor_StructDecl && clang_isCursorDefinition(c) && !record_add(w->m, w->all, c))
        w->ok = false;
    if (main_file && !decl_add(w->m, w->all, c))
        w->ok = false;
    return CXChildVisit_Continue;
}

bool model_build(CXTranslationUnit tu, struct sources *all, struct model *m)
{
    struct walk w = {m, all, true};
    CXCursor root = clang_getTranslationUnitCursor(tu);
    clang_visitChildren(root, collect_iface, &w);
    clang_visitChildren(root, visit_top, &w);
    for (int i = 0; i < all->v[0].nimports; i++) {
        const char *name = all->v[0].imports[i].name;
        size_t n = strlen(name);
        if (n > 4 && !strcmp(name + n - 4, ".idl"))
            n -= 4;
        *GROW(m->includes, m->nincludes) = xasprintf("%.*s.h", (int)n, name);
    }
    return w.ok;
}
