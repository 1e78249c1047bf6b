// Which C types may cross an interface, and how each parameter travels.
#include "clangutil.h"

#include <stdlib.h>
#include <string.h>

bool is_integer_kind(enum CXTypeKind k)
{
    switch (k) {
    case CXType_Bool:
    case CXType_Char_U:
    case CXType_UChar:
    case CXType_UShort:
    case CXType_UInt:
    case CXType_ULong:
    case CXType_ULongLong:
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
    case CXType_Enum:
        return true;
    default:
        return false;
    }
}

bool is_char_kind(enum CXTypeKind k)
{
    return k == CXType_Char_S || k == CXType_Char_U || k == CXType_SChar || k == CXType_UChar;
}

// The name clang gives a record type; also the key of model.records.
static char *record_key(CXType canonical)
{
    return unqualified_name(clang_getCanonicalType(canonical));
}

int record_find(const struct model *m, const char *name)
{
    for (int i = 0; i < m->nrecords; i++)
        if (!strcmp(m->records[i].name, name))
            return i;
    return -1;
}

static bool is_iface_record(const struct model *m, CXType canonical)
{
    if (canonical.kind != CXType_Record)
        return false;
    char *name = cursor_name(clang_getTypeDeclaration(canonical));
    bool r = model_find(m, name) != NULL;
    free(name);
    return r;
}

// Plain data: integers, floating point, enums, GUIDs and IDL structs, and
// fixed arrays of those. Sets *rec to the record index of an IDL struct.
bool is_plain(const struct model *m, CXType t, int *rec)
{
    CXType c = clang_getCanonicalType(t);
    *rec = -1;
    if (is_integer_kind(c.kind) || c.kind == CXType_Float || c.kind == CXType_Double)
        return true;
    if (c.kind == CXType_ConstantArray)
        return is_plain(m, clang_getArrayElementType(c), rec) && *rec < 0;
    if (c.kind != CXType_Record || is_iface_record(m, c))
        return false;
    char *key = record_key(c);
    *rec = record_find(m, key);
    bool guid = !strcmp(key, "GUID");
    free(key);
    return guid || *rec >= 0;
}

// Strips typedefs until the pointer itself, so the pointee keeps its spelling.
static CXType desugar_pointer(CXType t)
{
    for (int i = 0; i < 64 && t.kind != CXType_Pointer; i++) {
        if (t.kind == CXType_Typedef)
            t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
        else if (t.kind == CXType_Elaborated)
            t = clang_Type_getNamedType(t);
        else
            break;
    }
    return t;
}

static bool unsupported(const struct param *p, struct pos pos, const char *why)
{
    diag_error(pos, "unsupported type '%s' of parameter '%s'%s%s", p->type, p->name,
               why ? ": " : "", why ? why : "");
    return false;
}

// The kind of an [in] / [out] / [in, out] pointer to data.
static enum arg_kind data_kind(const struct param *p)
{
    return p->in && p->out ? ARG_INOUT_PTR : p->out ? ARG_OUT_PTR : ARG_IN_PTR;
}

// void ** with iid_is, or IFoo **: an interface pointer the callee returns;
// with size_is, an array of interface pointers in one direction.
static bool classify_pp(struct model *m, struct param *p, CXType inner, struct pos pos, bool local)
{
    CXType ic = clang_getCanonicalType(inner);
    if (ic.kind == CXType_Void) {
        p->is_void_pp = true;
    } else if (is_iface_record(m, ic)) {
        p->iface = cursor_name(clang_getTypeDeclaration(ic));
    } else if (local) {
        return true; // never marshalled: any pointer C can spell
    } else {
        return unsupported(p, pos, "pointers to pointers carry only interfaces");
    }
    if (p->has_size && p->in && p->out) {
        diag_error(p->pos, "[in, out] array of interface pointers '%s' is not supported", p->name);
        return false;
    }
    if (p->has_size) {
        p->kind = p->out ? ARG_IFACE_OUT_ARRAY : ARG_IFACE_IN_ARRAY;
        return true;
    }
    if (!p->out || p->in) {
        diag_error(p->pos, "interface pointer parameter '%s' returned by pointer must be [out]",
                   p->name);
        return false;
    }
    p->kind = ARG_IFACE_OUT;
    return true;
}

// Out data with embedded pointers would need the callee to allocate what
// the caller frees; idlc says so rather than describe it as in-pointers.
static bool embedded_ok(const struct model *m, const struct param *p)
{
    if (p->record < 0 || !m->records[p->record].nptrs || !p->out)
        return true;
    diag_error(p->pos,
               "parameter '%s' is %s and '%s' has embedded pointers: only [in] structs may "
               "carry pointers (return the pointed-to data in [out] arrays instead)",
               p->name, p->in ? "[in, out]" : "[out]", m->records[p->record].name);
    return false;
}

static bool classify_pointer(struct model *m, CXType t, struct param *p, struct pos pos, bool local)
{
    CXType pointee = clang_getPointeeType(desugar_pointer(t));
    CXType pc = clang_getCanonicalType(pointee);
    p->pointee = type_name(pointee);
    p->kind = ARG_IN_PTR; // even if it is rejected: it is no value
    if (pc.kind == CXType_Pointer)
        return classify_pp(m, p, clang_getPointeeType(pc), pos, local);
    if (is_iface_record(m, pc)) {
        if (p->out) {
            diag_error(p->pos, "[out] interface pointer '%s' needs two levels of indirection",
                       p->name);
            return false;
        }
        p->iface = cursor_name(clang_getTypeDeclaration(pc));
        p->kind = ARG_IFACE_IN;
        return true;
    }
    if (p->string) {
        if (!is_char_kind(pc.kind)) {
            diag_error(p->pos, "[string] parameter '%s' must be a char pointer", p->name);
            return false;
        }
        if (p->out) {
            diag_error(p->pos, "[string] parameter '%s' must be [in] only", p->name);
            return false;
        }
        p->kind = ARG_STRING;
        return true;
    }
    p->kind = data_kind(p);
    if (pc.kind == CXType_Void) {
        p->is_void_p = true; // with size_is: that many bytes
        if (p->has_size || local)
            return true;
        return unsupported(p, pos, "a void pointer needs size_is (bytes)");
    }
    if (!is_plain(m, pointee, &p->record))
        return local || unsupported(p, pos, NULL);
    if (clang_Type_getSizeOf(pointee) > (long long)UINT32_MAX)
        return unsupported(p, pos, "elements larger than 4 GiB");
    p->points_to_integer = is_integer_kind(pc.kind) && !p->has_size;
    return embedded_ok(m, p);
}

// Sets p->kind and friends from the parameter's type and attributes. In a
// [local] method, which is never marshalled, more pointer types pass.
bool classify_param(struct model *m, CXType t, struct param *p, struct pos pos, bool local)
{
    p->type = type_name(t);
    CXType c = clang_getCanonicalType(t);
    if (c.kind == CXType_Pointer)
        return classify_pointer(m, t, p, pos, local);
    p->kind = ARG_VALUE;
    free(p->type);
    p->type = unqualified_name(t);
    if (p->out) {
        diag_error(p->pos, "[out] parameter '%s' is not a pointer", p->name);
        return false;
    }
    int rec;
    if (c.kind == CXType_ConstantArray || !is_plain(m, t, &rec))
        return unsupported(p, pos, NULL);
    if (rec >= 0 && m->records[rec].nptrs)
        return unsupported(p, pos, "a struct with embedded pointers must be passed by pointer");
    p->is_integer = is_integer_kind(c.kind);
    return true;
}
