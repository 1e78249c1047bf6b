// The server stub: unmarshals an argument block, calls the implementation
// through its vtbl and marshals the interface pointers it returns. It checks
// what the implementation is owed (no NULL interface pointer unless
// [unique]) and what it returns (no length_is beyond size_is), and on a
// failure drops every handle it made and every reference it holds.
#include "emit.h"

#include <stdlib.h>
#include <string.h>

static bool is_array(const struct param *p)
{
    return p->kind == ARG_IFACE_IN_ARRAY || p->kind == ARG_IFACE_OUT_ARRAY;
}

// `IFoo` of IFoo **, `void` of void **: the element of a local array.
static const char *elem_base(const struct param *p)
{
    return p->iface ? p->iface : "void";
}

static void emit_locals(FILE *f, const struct method *md)
{
    bool arrays = false;
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->kind == ARG_IFACE_IN)
            fprintf(f, "    void *idl_i_%s = NULL;\n", p->name);
        else if (p->kind == ARG_IFACE_OUT)
            fprintf(f, "    %s *idl_o_%s = NULL;\n", elem_base(p), p->name);
        else if (is_array(p))
            fprintf(f, "    %s **idl_v_%s = NULL;\n    uint64_t idl_n_%s = 0;\n", elem_base(p),
                    p->name, p->name);
        arrays = arrays || is_array(p);
    }
    if (arrays)
        fprintf(f, "    uint64_t idl_i;\n");
}

// The handles of an [in] array the stub did not unmarshal (a failure
// stopped it) are still the stub's to drop.
static void emit_release_untaken(FILE *f, const char *n)
{
    fprintf(f, "    for (idl_i = 0; idl_a->%s && idl_n_%s <= SIZE_MAX / sizeof(void *) &&\n", n, n);
    fprintf(f, "                    idl_i < idl_n_%s; idl_i++)\n", n);
    fprintf(f, "        if (!(idl_v_%s && idl_v_%s[idl_i]) && idl_a->%s[idl_i])\n", n, n, n);
    fprintf(f, "            com_release_handle(idl_a->%s[idl_i]);\n", n);
}

static void emit_unmarshal_in(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        const char *n = p->name;
        if (p->kind == ARG_IFACE_IN) {
            if (!p->unique)
                fprintf(f, "    if (!idl_a->%s)\n        idl_sc = E_POINTER;\n", n);
            fprintf(
                f,
                "    if (SUCCEEDED(idl_sc))\n        idl_sc = com_unmarshal_interface(idl_a->%s, ",
                n);
            emit_iid_expr(f, p, md, "idl_a->");
            fprintf(f, ", &idl_i_%s);\n", n);
            fprintf(f, "    if (!idl_i_%s && idl_a->%s) /* not taken: still the stub's */\n", n, n);
            fprintf(f, "        com_release_handle(idl_a->%s);\n", n);
        } else if (p->kind == ARG_IFACE_OUT) {
            fprintf(f,
                    "    if (!idl_a->%s)\n        idl_sc = E_POINTER;\n    else\n"
                    "        *idl_a->%s = 0;\n",
                    n, n);
        } else if (is_array(p)) {
            fprintf(f, "    idl_n_%s = ", n);
            expr_emit_c(f, p->size, md, "idl_a->");
            fprintf(f,
                    ";\n    if (idl_n_%s > SIZE_MAX / sizeof(void *))\n"
                    "        idl_sc = RPC_E_INVALID_BOUND;\n",
                    n);
            if (!p->unique)
                fprintf(f, "    else if (!idl_a->%s)\n        idl_sc = E_POINTER;\n", n);
            fprintf(f, "    if (SUCCEEDED(idl_sc) && idl_a->%s) {\n", n);
            fprintf(f, "        idl_v_%s = com_alloc((size_t)idl_n_%s * sizeof(void *));\n", n, n);
            fprintf(f, "        if (!idl_v_%s)\n            idl_sc = E_OUTOFMEMORY;\n", n);
            fprintf(f, "        for (idl_i = 0; idl_v_%s && idl_i < idl_n_%s; idl_i++)\n", n, n);
            fprintf(f, "            idl_v_%s[idl_i] = NULL;\n    }\n", n);
            if (p->kind == ARG_IFACE_OUT_ARRAY) {
                fprintf(f, "    for (idl_i = 0; idl_v_%s && idl_i < idl_n_%s; idl_i++)\n", n, n);
                fprintf(f, "        idl_a->%s[idl_i] = 0;\n", n);
                continue;
            }
            fprintf(f,
                    "    for (idl_i = 0; idl_v_%s && idl_i < idl_n_%s && SUCCEEDED(idl_sc); "
                    "idl_i++) {\n        void *idl_t = NULL;\n",
                    n, n);
            fprintf(f, "        idl_sc = com_unmarshal_interface(idl_a->%s[idl_i], ", n);
            emit_iid_expr(f, p, md, "idl_a->");
            fprintf(f, ", &idl_t);\n        idl_v_%s[idl_i] = idl_t;\n    }\n", n);
            emit_release_untaken(f, n);
        }
    }
}

static void emit_call(FILE *f, const struct method *md)
{
    fprintf(f, "    if (SUCCEEDED(idl_sc))\n        idl_sc = This->lpVtbl->%s(This", md->name);
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->kind == ARG_IFACE_IN)
            fprintf(f, ", idl_i_%s", p->name);
        else if (p->kind == ARG_IFACE_OUT)
            fprintf(f, ", &idl_o_%s", p->name);
        else if (is_array(p))
            fprintf(f, ", idl_v_%s", p->name);
        else
            fprintf(f, ", idl_a->%s", p->name);
    }
    fprintf(f, ");\n");
}

// An implementation's length_is count may not exceed the array's size.
static void emit_length_checks(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (!p->length || !p->out)
            continue;
        fprintf(f, "    if (SUCCEEDED(idl_sc) && ");
        expr_emit_c(f, p->length, md, "idl_a->");
        fprintf(f, " > ");
        if (is_array(p))
            fprintf(f, "idl_n_%s", p->name);
        else
            expr_emit_c(f, p->size, md, "idl_a->");
        fprintf(f, ")\n        idl_sc = RPC_E_INVALID_BOUND;\n");
    }
}

static void emit_marshal_one(FILE *f, const struct param *p, const struct method *md,
                             const char *src, const char *dst, const char *indent)
{
    fprintf(f, "%sif (SUCCEEDED(idl_sc)) {\n%s    SCODE idl_m = com_marshal_interface(%s, ", indent,
            indent, src);
    emit_iid_expr(f, p, md, "idl_a->");
    fprintf(f, ", %s);\n%s    idl_sc = FAILED(idl_m) ? idl_m : idl_sc; /* keeps S_FALSE */\n%s}\n",
            dst, indent, indent);
}

static void emit_marshal_out(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        const char *n = p->name;
        if (p->kind == ARG_IFACE_OUT) {
            char *src = xasprintf("idl_o_%s", n), *dst = xasprintf("idl_a->%s", n);
            emit_marshal_one(f, p, md, src, dst, "    ");
            free(src);
            free(dst);
        } else if (p->kind == ARG_IFACE_OUT_ARRAY) {
            fprintf(f, "    for (idl_i = 0; SUCCEEDED(idl_sc) && idl_v_%s && idl_i < ", n);
            if (p->length)
                expr_emit_c(f, p->length, md, "idl_a->");
            else
                fprintf(f, "idl_n_%s", n);
            fprintf(f, "; idl_i++) {\n");
            char *src = xasprintf("idl_v_%s[idl_i]", n), *dst = xasprintf("&idl_a->%s[idl_i]", n);
            emit_marshal_one(f, p, md, src, dst, "        ");
            free(src);
            free(dst);
            fprintf(f, "    }\n");
        }
    }
}

// On a failure, the handles made for the caller are dropped; in every case
// the references the stub holds are.
static void emit_cleanup(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        const char *n = p->name;
        if (p->kind == ARG_IFACE_OUT) {
            fprintf(f, "    if (FAILED(idl_sc) && idl_a->%s && *idl_a->%s) {\n", n, n);
            fprintf(f, "        com_release_handle(*idl_a->%s);\n        *idl_a->%s = 0;\n    }\n",
                    n, n);
            fprintf(f, "    if (idl_o_%s)\n        com_release_interface(idl_o_%s);\n", n, n);
        } else if (p->kind == ARG_IFACE_IN) {
            fprintf(f, "    if (idl_i_%s)\n        com_release_interface(idl_i_%s);\n", n, n);
        } else if (is_array(p)) {
            fprintf(f, "    for (idl_i = 0; idl_v_%s && idl_i < idl_n_%s; idl_i++) {\n", n, n);
            if (p->kind == ARG_IFACE_OUT_ARRAY)
                fprintf(f,
                        "        if (FAILED(idl_sc) && idl_a->%s[idl_i]) {\n"
                        "            com_release_handle(idl_a->%s[idl_i]);\n"
                        "            idl_a->%s[idl_i] = 0;\n        }\n",
                        n, n, n);
            fprintf(f,
                    "        if (idl_v_%s[idl_i])\n            "
                    "com_release_interface(idl_v_%s[idl_i]);\n",
                    n, n);
            fprintf(f, "    }\n    com_free(idl_v_%s);\n", n);
        }
    }
}

static void emit_method(FILE *f, const struct iface *it, const struct mref *r)
{
    const struct method *md = r->md;
    fprintf(f, "\nstatic SCODE %s_%s_Stub(%s *This, void *idl_block)\n{\n", it->name, md->name,
            it->name);
    fprintf(f, "    struct %s_%s_args *idl_a = idl_block;\n    SCODE idl_sc = S_OK;\n",
            r->owner->name, md->name);
    emit_locals(f, md);
    if (!md->nparams)
        fprintf(f, "    (void)idl_a;\n");
    emit_unmarshal_in(f, md);
    emit_call(f, md);
    emit_length_checks(f, md);
    emit_marshal_out(f, md);
    emit_cleanup(f, md);
    fprintf(f, "    return idl_sc;\n}\n");
}

static void emit_iface(FILE *f, const struct model *m, const struct iface *it)
{
    if (it->local)
        return;
    struct mref *all;
    int n = all_methods(m, it, &all);
    for (int i = 0; i < n; i++)
        if (!all[i].md->local)
            emit_method(f, it, &all[i]);
    fprintf(f, "\nSCODE %s_Dispatch(void *obj, uint32_t method, void *args)\n{\n", it->name);
    fprintf(f, "    %s *This = obj;\n\n    switch (method) {\n", it->name);
    for (int i = 0; i < n; i++)
        if (!all[i].md->local)
            fprintf(f, "    case %s_M_%s:\n        return %s_%s_Stub(This, args);\n", it->name,
                    all[i].md->name, it->name, all[i].md->name);
    fprintf(f, "    default:\n        (void)This;\n        (void)args;\n        return "
               "RPC_E_BADMETHOD;\n    }\n}\n");
    free(all);
}

void emit_stub(FILE *f, const struct model *m, const char *base, const char *idlname)
{
    (void)idlname;
    fprintf(f, "#include \"%s.h\"\n", base);
    for (int i = 0; i < m->norder; i++)
        emit_iface(f, m, &m->ifaces[m->order[i]]);
}
