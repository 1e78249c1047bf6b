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

static int lookup_param(void *ctx, const char *name)
{
    return find_param(ctx, name);
}

// Resolves iid_is(name) to a REFIID parameter's index.
static int resolve_iid(struct walk *w, const struct method *md, const struct attr *a)
{
    if (!a)
        return IDLC_NO_PARAM;
    int i = find_param(md, a->arg);
    const char *pointee = i == IDLC_NO_PARAM ? "" : md->params[i].pointee;
    if (i == IDLC_NO_PARAM) {
        diag_error(a->pos, "%s: '%s' is not a parameter of method '%s'", a->name, a->arg, md->name);
    } else if (!pointee || (strcmp(pointee, "IID") && strcmp(pointee, "const IID"))) {
        diag_error(a->pos, "%s: parameter '%s' is not an IID pointer (REFIID)", a->name, a->arg);
        i = IDLC_NO_PARAM;
    } else {
        return i;
    }
    w->ok = false;
    return i;
}

// What a size_is/length_is reference must satisfy, for ref_ok.
struct ref_check {
    const struct method *md;
    const struct attr *a;
    int self;    // the parameter the attribute is on
    bool before; // the value is needed before the call (not only after)
};

// `n` names an integer value parameter; `*p` an integer pointer parameter
// that is neither an array nor [unique], and whose value exists when the
// transport needs it (an [out]-only value only after the call).
static bool ref_ok(void *ctx, const struct expr *ref)
{
    const struct ref_check *rc = ctx;
    const struct param *q = &rc->md->params[ref->param];
    const char *why = NULL;
    if (ref->param == rc->self)
        why = "refers to the parameter it describes";
    else if (ref->op == EX_PARAM && (q->kind != ARG_VALUE || !q->is_integer))
        why = q->points_to_integer ? "is a pointer: write '*%s' for the value it points to"
                                   : "is not an integer";
    else if (ref->op == EX_DEREF && (!q->points_to_integer || q->has_size))
        why = "is not a pointer to one integer";
    else if (ref->op == EX_DEREF && q->unique)
        why = "is [unique]: it may be NULL";
    else if (ref->op == EX_DEREF && rc->before && !q->in)
        why = "is [out] only: its value is not known before the call";
    if (!why)
        return true;
    char *msg = xasprintf(why, q->name);
    diag_error(rc->a->pos, "%s: parameter '%s' %s", rc->a->name, q->name, msg);
    free(msg);
    return false;
}

static struct expr *resolve_count(struct walk *w, struct method *md, int self, const struct attr *a,
                                  bool before)
{
    if (!a)
        return NULL;
    char *owner = xasprintf("method '%s'", md->name);
    struct expr *e = expr_parse(a, lookup_param, md, owner);
    free(owner);
    struct ref_check rc = {md, a, self, before};
    if (!e || !expr_refs_ok(e, ref_ok, &rc)) {
        expr_free(e);
        w->ok = false;
        return NULL;
    }
    return e;
}

static void build_param(struct walk *w, struct method *md, CXCursor c, const struct attr_list **al)
{
    struct param *p = GROW(md->params, md->nparams);
    memset(p, 0, sizeof(*p));
    p->name = cursor_name(c);
    p->pos = cursor_pos(w->all, c);
    p->iid_is = IDLC_NO_PARAM;
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
    p->retval = attr_find(l, "retval") != NULL;
    p->has_size = attr_find(l, "size_is") != NULL;
    p->iface = NULL;
    struct pos tpos;
    loc_source(w->all, clang_getRangeStart(clang_getCursorExtent(c)), &tpos, NULL);
    if (!classify_param(w->m, clang_getCursorType(c), p, tpos, md->local))
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

static bool count_applies(struct walk *w, const struct param *p, const struct attr *size,
                          const struct attr *length)
{
    bool array_kind = p->kind == ARG_IN_PTR || p->kind == ARG_OUT_PTR || p->kind == ARG_INOUT_PTR ||
                      p->kind == ARG_IFACE_IN_ARRAY || p->kind == ARG_IFACE_OUT_ARRAY;
    const struct attr *a = size ? size : length;
    if (a && p->kind != ARG_VALUE && !array_kind) {
        diag_error(a->pos, "%s does not apply to %s parameter '%s'", a->name,
                   p->kind == ARG_STRING ? "[string]" : "interface pointer", p->name);
    } else if (length && !size) {
        diag_error(length->pos, "length_is needs size_is (the capacity) on parameter '%s'",
                   p->name);
    } else {
        return true;
    }
    w->ok = false;
    return false;
}

// [retval] marks the last parameter, an [out] pointer (the property's value).
static void check_retval(struct walk *w, const struct method *md, const struct attr_list **al)
{
    for (int i = 0; i < md->nparams; i++) {
        const struct attr *a = attr_find(al[i], "retval");
        if (a && (!md->params[i].out || md->params[i].in || i != md->nparams - 1)) {
            diag_error(a->pos, "[retval] applies only to the last parameter, an [out] pointer");
            w->ok = false;
        }
    }
}

static void resolve_params(struct walk *w, struct method *md, const struct attr_list **al)
{
    for (int i = 0; i < md->nparams; i++) {
        struct param *p = &md->params[i];
        if (p->kind == ARG_VALUE)
            continue;
        const struct attr *size = attr_find(al[i], "size_is");
        const struct attr *length = attr_find(al[i], "length_is");
        if (count_applies(w, p, size, length)) {
            p->size = resolve_count(w, md, i, size, true);
            p->length = resolve_count(w, md, i, length, p->in);
        }
        const struct attr *iid = attr_find(al[i], "iid_is");
        p->iid_is = resolve_iid(w, md, iid);
        if (iid && !p->is_void_pp) {
            diag_error(iid->pos, "iid_is applies only to void ** parameters");
            w->ok = false;
        }
    }
    check_retval(w, md, al);
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

// [propget] Name gives get_Name in the vtbl, as MIDL names it.
static char *method_name(CXCursor c, const struct attr_list *l)
{
    static const char *const props[][2] = {
        {"propget", "get_"}, {"propput", "put_"}, {"propputref", "putref_"}};
    char *name = cursor_name(c);
    for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
        if (attr_find(l, props[i][0])) {
            char *n = xasprintf("%s%s", props[i][1], name);
            free(name);
            return n;
        }
    }
    return name;
}

// Property attributes exclude each other; [id(n)] takes a number.
static void check_method_attrs(struct walk *w, const struct method *md, const struct attr_list *l)
{
    int nprops =
        !!attr_find(l, "propget") + !!attr_find(l, "propput") + !!attr_find(l, "propputref");
    if (nprops > 1) {
        diag_error(md->pos, "method '%s' has more than one of propget, propput, propputref",
                   md->name);
        w->ok = false;
    }
    const struct attr *id = attr_find(l, "id");
    char *end = NULL;
    if (id && id->arg)
        strtoll(id->arg, &end, 0);
    if (id && (!end || end == id->arg || *end)) {
        diag_error(id->pos, "id(%s): expected a number", id->arg ? id->arg : "");
        w->ok = false;
    }
    const struct attr *call_as = attr_find(l, "call_as");
    if (call_as) {
        diag_error(call_as->pos, "call_as is not supported: write the remotable method only");
        w->ok = false;
    }
}

// SCODE or HRESULT for every remotable method; a [local] method, which
// never crosses a transport, may return what MIDL allows there (ULONG,
// void, an integer or floating type).
static void check_return(struct walk *w, struct method *md, CXCursor c)
{
    CXType rt = clang_getCursorResultType(c);
    md->ret = type_name(rt);
    if (!strcmp(md->ret, "SCODE") || !strcmp(md->ret, "HRESULT"))
        return;
    enum CXTypeKind k = clang_getCanonicalType(rt).kind;
    bool plain = k == CXType_Void || is_integer_kind(k) || k == CXType_Float || k == CXType_Double;
    if (md->local && plain)
        return;
    if (plain)
        diag_error(md->pos,
                   "method '%s' returns '%s': only a [local] method may return anything but "
                   "SCODE or HRESULT",
                   md->name, md->ret);
    else
        diag_error(md->pos, "method '%s' must return SCODE or HRESULT, not '%s'", md->name,
                   md->ret);
    w->ok = false;
}

// A signature describes offsets in the argument block and its size in 16
// bits. Sizes here are the host parse's, an upper bound for the 32-bit
// targets (pointers and longs are 8 bytes, every slot rounded up to 8).
static void check_block_size(struct walk *w, const struct method *md, CXCursor c)
{
    long long total = 0;
    for (int i = 0; i < md->nparams; i++) {
        long long sz =
            clang_Type_getSizeOf(clang_getCursorType(clang_Cursor_getArgument(c, (unsigned)i)));
        total += ((sz > 0 ? sz : 8) + 7) / 8 * 8;
    }
    if (total > 0xFFFF) {
        diag_error(md->pos,
                   "the arguments of method '%s' take up to %lld bytes, more than a signature "
                   "can describe (65535): pass large structs by pointer",
                   md->name, total);
        w->ok = false;
    }
}

static void build_method(struct walk *w, struct iface *it, CXCursor c)
{
    struct method *md = GROW(it->methods, it->nmethods);
    memset(md, 0, sizeof(*md));
    md->pos = cursor_pos(w->all, c);
    const struct attr_list *ml = take_attrs(w, c, SITE_METHOD);
    md->name = method_name(c, ml);
    md->local = it->local || attr_find(ml, "local") != NULL;
    check_method_attrs(w, md, ml);
    if (!method_qualifiers_ok(c, md))
        w->ok = false;
    check_return(w, md, c);
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
    if (!md->local)
        check_block_size(w, md, c);
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
    cursor_start(w->all, c, &it->off);
    const struct attr_list *l = take_attrs(w, c, SITE_IFACE);
    it->local = attr_find(l, "local") != NULL;
    build_uuid(w, it, l);
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
    enum CXCursorKind k = clang_getCursorKind(c);
    bool in_header = !src && !clang_Location_isInSystemHeader(clang_getCursorLocation(c));
    if (in_header && k == CXCursor_StructDecl && clang_isCursorDefinition(c) &&
        !record_add(w->m, w->all, c))
        w->ok = false; // a struct of a C header the IDL includes
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

// The uuid of a library or coclass, from the attribute list before it.
static void class_uuid(struct walk *w, struct source *src, size_t off, const char *what,
                       const char *name, struct pos pos, unsigned char uuid[16], bool *has)
{
    struct attr_list *l = attrs_take(src, off, off);
    if (!attrs_check(l, SITE_LIBRARY))
        w->ok = false;
    const struct attr *u = attr_find(l, "uuid");
    if (!u) {
        diag_error(pos, "%s '%s' has no uuid attribute", what, name);
        w->ok = false;
    } else if (!u->arg || !uuid_parse(u->arg, uuid)) {
        diag_error(u->pos, "malformed uuid '%s': expected 8-4-4-4-12 hex digits",
                   u->arg ? u->arg : "");
        w->ok = false;
    } else {
        *has = true;
    }
}

// Coclasses list interfaces idlc knows; libraries and coclasses have uuids;
// cpp_quote stays out of interface bodies (the header has no place there).
static void build_classes(struct walk *w, struct source *src)
{
    for (int i = 0; i < src->nlibraries; i++) {
        struct library *lib = &src->libraries[i];
        class_uuid(w, src, lib->off, "library", lib->name, lib->pos, lib->uuid, &lib->has_uuid);
    }
    for (int i = 0; i < src->ncoclasses; i++) {
        struct coclass *cc = &src->coclasses[i];
        class_uuid(w, src, cc->off, "coclass", cc->name, cc->pos, cc->uuid, &cc->has_uuid);
        for (int k = 0; k < cc->nmembers; k++) {
            const struct coclass_member *mb = &cc->members[k];
            if (!find_iface(w->m, mb->name)) {
                diag_error(mb->pos, "coclass '%s' lists '%s', which is not an interface", cc->name,
                           mb->name);
                w->ok = false;
            }
            for (int j = 0; j < k; j++)
                if (!strcmp(cc->members[j].name, mb->name)) {
                    diag_error(mb->pos, "coclass '%s' lists '%s' twice", cc->name, mb->name);
                    w->ok = false;
                }
        }
    }
    for (int i = 0; i < src->ncpp_in_iface; i++) {
        diag_error(src->cpp_in_iface[i],
                   "cpp_quote inside an interface is not supported: put it before or after the "
                   "interface");
        w->ok = false;
    }
}

// MIDL's name for IUnknown's file is the project's IUnknown.idl; wtypes.idl
// declares the base types, which idlc knows already (NULL: nothing).
const char *import_alias(const char *name)
{
    if (!strcmp(name, "unknwn.idl"))
        return "IUnknown.idl";
    if (!strcmp(name, "wtypes.idl") || !strcmp(name, "wtypesbase.idl"))
        return NULL;
    return name;
}

bool model_build(CXTranslationUnit tu, struct sources *all, struct model *m)
{
    struct walk w = {m, all, true};
    CXCursor root = clang_getTranslationUnitCursor(tu);
    m->main = &all->v[0];
    clang_visitChildren(root, collect_iface, &w);
    clang_visitChildren(root, visit_top, &w);
    build_classes(&w, &all->v[0]);
    for (int i = 0; i < all->v[0].nimports; i++) {
        const char *name = import_alias(all->v[0].imports[i].name);
        if (!name)
            continue;
        size_t n = strlen(name);
        if (n > 4 && !strcmp(name + n - 4, ".idl"))
            n -= 4;
        *GROW(m->includes, m->nincludes) = xasprintf("%.*s.h", (int)n, name);
    }
    return w.ok;
}
