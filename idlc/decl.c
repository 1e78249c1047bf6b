// Rewrites the main file's typedefs, structs, enums and constants as C for
// the generated header, from clang's AST rather than from the source text,
// so nothing that is C++-only can slip through.
#include "clangutil.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct text {
    char *s;
};

static void append(struct text *t, char *piece)
{
    char *n = xasprintf("%s%s", t->s ? t->s : "", piece);
    free(t->s);
    free(piece);
    t->s = n;
}

// `type name` or `elem name[N]` for a field or typedef.
static char *declarator(CXType t, const char *name)
{
    CXType c = clang_getCanonicalType(t);
    if (t.kind == CXType_ConstantArray ||
        (t.kind != CXType_Typedef && c.kind == CXType_ConstantArray)) {
        char *elem = type_name(clang_getArrayElementType(c));
        char *s = xasprintf("%s %s[%lld]", elem, name, clang_getArraySize(c));
        free(elem);
        return s;
    }
    char *ty = type_name(t);
    char *s = xasprintf("%s%s%s", ty, ty[strlen(ty) - 1] == '*' ? "" : " ", name);
    free(ty);
    return s;
}

static enum CXChildVisitResult field_text(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_FieldDecl) {
        char *name = cursor_name(c);
        char *d = declarator(clang_getCursorType(c), name);
        append(data, xasprintf("    %s;\n", d));
        free(d);
        free(name);
    }
    return CXChildVisit_Continue;
}

static enum CXChildVisitResult enum_text(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_EnumConstantDecl) {
        char *name = cursor_name(c);
        append(data, xasprintf("    %s = %lld,\n", name, clang_getEnumConstantDeclValue(c)));
        free(name);
    }
    return CXChildVisit_Continue;
}

// The braces of a struct or enum definition.
static char *body(CXCursor c)
{
    struct text t = {xstrdup("{\n")};
    clang_visitChildren(c, clang_getCursorKind(c) == CXCursor_EnumDecl ? enum_text : field_text,
                        &t);
    append(&t, xstrdup("}"));
    return t.s;
}

static bool is_anonymous(CXCursor c)
{
    char *name = cursor_name(c);
    bool anon = !name[0] || strchr(name, '(');
    free(name);
    return anon;
}

static char *tag_text(CXCursor c)
{
    const char *tag = clang_getCursorKind(c) == CXCursor_EnumDecl ? "enum" : "struct";
    char *name = cursor_name(c);
    char *b = body(c), *s;
    if (!strcmp(tag, "struct"))
        s = xasprintf("typedef struct %s %s;\nstruct %s %s;\n", name, name, name, b);
    else
        s = xasprintf("enum %s %s;\ntypedef enum %s %s;\n", name, b, name, name);
    free(name);
    free(b);
    return s;
}

static char *typedef_text(CXCursor c)
{
    CXType under = clang_getTypedefDeclUnderlyingType(c);
    CXCursor ud = clang_getTypeDeclaration(clang_Type_getNamedType(under));
    char *name = cursor_name(c), *s, *uname = cursor_name(ud);
    enum CXCursorKind k = clang_getCursorKind(ud);
    if ((k == CXCursor_StructDecl || k == CXCursor_EnumDecl) && is_anonymous(ud)) {
        char *b = body(ud);
        s = xasprintf("typedef %s %s %s;\n", k == CXCursor_EnumDecl ? "enum" : "struct", b, name);
        free(b);
    } else if ((k == CXCursor_StructDecl || k == CXCursor_EnumDecl) && !strcmp(uname, name)) {
        s = xstrdup(""); // typedef struct S S: the struct's own text has it
    } else {
        char *d = declarator(under, name);
        s = xasprintf("typedef %s;\n", d);
        free(d);
    }
    free(name);
    free(uname);
    return s;
}

// The value of an integer constant as C that means the same on every
// target: SCODE and HRESULT in hex as <com/com.h> writes them, the most
// negative 64-bit value without a literal too large for its type.
static char *const_value(CXEvalResult ev, const char *ty)
{
    if (!strcmp(ty, "SCODE") || !strcmp(ty, "HRESULT"))
        return xasprintf("0x%08llXu", clang_EvalResult_getAsUnsigned(ev) & 0xFFFFFFFFull);
    if (clang_EvalResult_isUnsignedInt(ev))
        return xasprintf("%lluu%s", clang_EvalResult_getAsUnsigned(ev),
                         clang_EvalResult_getAsUnsigned(ev) > 0xFFFFFFFFull ? "ll" : "");
    long long v = clang_EvalResult_getAsLongLong(ev);
    if (v == LLONG_MIN)
        return xstrdup("(-9223372036854775807ll - 1)");
    return xasprintf("%lld%s", v, v > 0x7FFFFFFFll || v < -0x7FFFFFFFll - 1 ? "ll" : "");
}

// const T NAME = expression; becomes #define NAME ((T)value): clang has
// evaluated the expression, so it may use other constants and operators.
static char *const_text(CXCursor c, struct sources *all)
{
    CXType t = clang_getCursorType(c);
    CXEvalResult ev = clang_Cursor_Evaluate(c);
    char *s = NULL;
    if (clang_isConstQualifiedType(t) && ev && clang_EvalResult_getKind(ev) == CXEval_Int &&
        is_integer_kind(clang_getCanonicalType(t).kind)) {
        char *name = cursor_name(c), *ty = unqualified_name(t);
        char *v = const_value(ev, ty);
        s = xasprintf("#define %s ((%s)%s)\n", name, ty, v);
        free(v);
        free(name);
        free(ty);
    } else {
        diag_error(cursor_pos(all, c), "only integer constants with a value are supported");
    }
    if (ev)
        clang_EvalResult_dispose(ev);
    return s;
}

// Typedefs may name plain data, or pointers to plain data or interfaces.
static bool typedef_ok(const struct model *m, CXCursor c)
{
    CXType t = clang_getCanonicalType(clang_getTypedefDeclUnderlyingType(c));
    int rec;
    if (t.kind == CXType_Pointer) {
        t = clang_getCanonicalType(clang_getPointeeType(t));
        if (t.kind == CXType_Void || t.kind == CXType_Record)
            return true;
    }
    return is_plain(m, t, &rec);
}

// Adds one top-level declaration of the main file to the header's text.
bool decl_add(struct model *m, struct sources *all, CXCursor c)
{
    size_t start, name_off;
    struct source *src = cursor_start(all, c, &start);
    loc_source(all, clang_getCursorLocation(c), NULL, &name_off);
    const struct attr_list *l = attrs_take(src, start, name_off);
    bool ok = attrs_check(l, SITE_TYPE);
    char *text = NULL;
    switch (clang_getCursorKind(c)) {
    case CXCursor_StructDecl:
    case CXCursor_EnumDecl:
        if (!clang_isCursorDefinition(c) || is_anonymous(c))
            return ok;
        text = tag_text(c);
        break;
    case CXCursor_TypedefDecl:
        if (!typedef_ok(m, c)) {
            diag_error(cursor_pos(all, c), "unsupported type in typedef");
            return false;
        }
        text = typedef_text(c);
        break;
    case CXCursor_VarDecl:
        text = const_text(c, all);
        break;
    default:
        diag_error(cursor_pos(all, c), "unsupported declaration");
        return false;
    }
    if (!text)
        return false;
    if (!text[0]) {
        free(text);
        return ok;
    }
    struct decl *d = GROW(m->decls, m->ndecls);
    d->text = text;
    d->off = start;
    return ok;
}
