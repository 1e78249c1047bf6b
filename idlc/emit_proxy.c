// The client proxy: each method fills its argument block, turns interface
// pointers into handles and calls the one transport entry point. Handles it
// made and could not pass on, and handles it received and could not turn
// into pointers, are released (com_release_handle); nothing leaks on a
// failure part way.
#include "emit.h"

#include <stdlib.h>
#include <string.h>

static bool is_array(const struct param *p)
{
    return p->kind == ARG_IFACE_IN_ARRAY || p->kind == ARG_IFACE_OUT_ARRAY;
}

static bool is_iface_out(const struct param *p)
{
    return p->kind == ARG_IFACE_OUT || p->kind == ARG_IFACE_OUT_ARRAY;
}

static bool has_kind(const struct method *md, bool (*pred)(const struct param *))
{
    for (int k = 0; k < md->nparams; k++)
        if (pred(&md->params[k]))
            return true;
    return false;
}

static bool needs_release_in(const struct param *p)
{
    return p->kind == ARG_IFACE_IN || is_array(p);
}

static void emit_locals(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->kind == ARG_IFACE_OUT)
            fprintf(f, "    com_handle_t idl_h_%s = 0;\n", p->name);
        if (is_array(p))
            fprintf(f, "    com_handle_t *idl_v_%s = NULL;\n    uint64_t idl_n_%s = 0;\n", p->name,
                    p->name);
    }
    if (has_kind(md, is_array))
        fprintf(f, "    uint64_t idl_i;\n");
}

// A NULL interface pointer that is not [unique] never reaches the transport;
// [out] interface pointers start NULL so a failure leaves nothing behind.
static void emit_checks(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        bool iface = p->kind == ARG_IFACE_IN || is_iface_out(p) || is_array(p);
        if (iface && (!p->unique || p->kind == ARG_IFACE_OUT))
            fprintf(f, "    if (!%s)\n        return E_POINTER;\n", p->name);
        if (p->kind == ARG_IFACE_OUT)
            fprintf(f, "    *%s = NULL;\n", p->name);
    }
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (!is_array(p))
            continue;
        fprintf(f, "    idl_n_%s = ", p->name);
        expr_emit_c(f, p->size, md, "");
        fprintf(f,
                ";\n    if (idl_n_%s > SIZE_MAX / sizeof(void *))\n        return "
                "RPC_E_INVALID_BOUND;\n",
                p->name);
        if (p->kind == ARG_IFACE_OUT_ARRAY)
            fprintf(f,
                    "    for (idl_i = 0; %s && idl_i < idl_n_%s; idl_i++)\n        %s[idl_i] = "
                    "NULL;\n",
                    p->name, p->name, p->name);
    }
}

static void emit_marshal_one(FILE *f, const struct param *p, const struct method *md,
                             const char *src, const char *dst)
{
    fprintf(f, "idl_sc = com_marshal_interface(%s, ", src);
    emit_iid_expr(f, p, md, "");
    fprintf(f, ", %s);\n", dst);
}

static void emit_marshal_in(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        const char *n = p->name;
        if (p->kind == ARG_IFACE_IN) {
            fprintf(f, "    idl_args.%s = 0;\n    if (SUCCEEDED(idl_sc))\n        ", n);
            char *dst = xasprintf("&idl_args.%s", n);
            emit_marshal_one(f, p, md, n, dst);
            free(dst);
        } else if (p->kind == ARG_IFACE_OUT) {
            fprintf(f, "    idl_args.%s = &idl_h_%s;\n", n, n);
        } else if (is_array(p)) {
            fprintf(f, "    if (SUCCEEDED(idl_sc) && %s) {\n", n);
            fprintf(f, "        idl_v_%s = com_alloc((size_t)idl_n_%s * sizeof(com_handle_t));\n",
                    n, n);
            fprintf(f, "        if (!idl_v_%s)\n            idl_sc = E_OUTOFMEMORY;\n", n);
            fprintf(f, "        for (idl_i = 0; idl_v_%s && idl_i < idl_n_%s; idl_i++)\n", n, n);
            fprintf(f, "            idl_v_%s[idl_i] = 0;\n    }\n", n);
            if (p->kind == ARG_IFACE_IN_ARRAY) {
                fprintf(f,
                        "    for (idl_i = 0; idl_v_%s && idl_i < idl_n_%s && SUCCEEDED(idl_sc); "
                        "idl_i++)\n        ",
                        n, n);
                char *src = xasprintf("%s[idl_i]", n), *dst = xasprintf("&idl_v_%s[idl_i]", n);
                emit_marshal_one(f, p, md, src, dst);
                free(src);
                free(dst);
            }
            fprintf(f, "    idl_args.%s = idl_v_%s;\n", n, n);
        } else {
            fprintf(f, "    idl_args.%s = %s;\n", n, n);
        }
    }
    if (!md->nparams)
        fprintf(f, "    idl_args.idl_unused = 0;\n");
}

// The call did not take place: drop the handles made for it.
static void emit_release_in(FILE *f, const struct method *md)
{
    if (!has_kind(md, needs_release_in))
        return;
    fprintf(f, "    if (FAILED(idl_sc)) {\n");
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->kind == ARG_IFACE_IN)
            fprintf(f, "        if (idl_args.%s)\n            com_release_handle(idl_args.%s);\n",
                    p->name, p->name);
        else if (p->kind == ARG_IFACE_IN_ARRAY)
            fprintf(f,
                    "        for (idl_i = 0; idl_v_%s && idl_i < idl_n_%s; idl_i++)\n"
                    "            if (idl_v_%s[idl_i])\n"
                    "                com_release_handle(idl_v_%s[idl_i]);\n",
                    p->name, p->name, p->name, p->name);
    }
    for (int k = 0; k < md->nparams; k++)
        if (is_array(&md->params[k]))
            fprintf(f, "        com_free(idl_v_%s);\n", md->params[k].name);
    fprintf(f, "        return idl_sc;\n    }\n");
}

static void emit_unmarshal_one(FILE *f, const struct param *p, const struct method *md,
                               const char *h, const char *dst, const char *indent)
{
    fprintf(f, "%sif (SUCCEEDED(idl_sc) && %s) {\n%s    void *idl_o = NULL;\n", indent, h, indent);
    fprintf(f, "%s    SCODE idl_u = com_unmarshal_interface(%s, ", indent, h);
    emit_iid_expr(f, p, md, "");
    fprintf(f, ", &idl_o);\n%s    %s = idl_o;\n", indent, dst);
    fprintf(f,
            "%s    if (SUCCEEDED(idl_u))\n%s        %s = 0;\n%s    else\n%s        idl_sc = "
            "idl_u;\n%s}\n",
            indent, indent, h, indent, indent, indent);
}

// Returned handles become interface pointers (the call's S_FALSE stays);
// a length_is count beyond the array's size is refused. A handle is zeroed once it is a pointer, so
// on a failure what is left is released and the pointers made are dropped.
static void emit_unmarshal_out(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        const char *n = p->name;
        if (p->kind == ARG_IFACE_OUT) {
            char *h = xasprintf("idl_h_%s", n), *dst = xasprintf("*%s", n);
            emit_unmarshal_one(f, p, md, h, dst, "    ");
            free(h);
            free(dst);
        } else if (p->kind == ARG_IFACE_OUT_ARRAY) {
            fprintf(f, "    if (SUCCEEDED(idl_sc) && idl_v_%s) {\n        uint64_t idl_len = ", n);
            if (p->length)
                expr_emit_c(f, p->length, md, "");
            else
                fprintf(f, "idl_n_%s", n);
            fprintf(f,
                    ";\n        if (idl_len > idl_n_%s)\n            idl_sc = "
                    "RPC_E_INVALID_BOUND;\n",
                    n);
            fprintf(f, "        for (idl_i = 0; idl_i < idl_len && idl_i < idl_n_%s; idl_i++) {\n",
                    n);
            char *h = xasprintf("idl_v_%s[idl_i]", n), *dst = xasprintf("%s[idl_i]", n);
            emit_unmarshal_one(f, p, md, h, dst, "            ");
            free(h);
            free(dst);
            fprintf(f, "        }\n    }\n");
        }
    }
}

static void emit_out_cleanup(FILE *f, const struct method *md)
{
    if (!has_kind(md, is_iface_out))
        return;
    fprintf(f, "    if (FAILED(idl_sc)) {\n");
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        const char *n = p->name;
        if (p->kind == ARG_IFACE_OUT) {
            fprintf(f, "        if (*%s)\n            com_release_interface(*%s);\n", n, n);
            fprintf(f,
                    "        *%s = NULL;\n        if (idl_h_%s)\n"
                    "            com_release_handle(idl_h_%s);\n",
                    n, n, n);
        } else if (p->kind == ARG_IFACE_OUT_ARRAY) {
            fprintf(f, "        for (idl_i = 0; idl_v_%s && idl_i < idl_n_%s; idl_i++) {\n", n, n);
            fprintf(
                f,
                "            if (%s[idl_i])\n                com_release_interface(%s[idl_i]);\n",
                n, n);
            fprintf(f,
                    "            %s[idl_i] = NULL;\n            if (idl_v_%s[idl_i])\n"
                    "                com_release_handle(idl_v_%s[idl_i]);\n        }\n",
                    n, n, n);
        }
    }
    fprintf(f, "    }\n");
}

// A local method never crosses a transport: its proxy slot only fails.
static void emit_local(FILE *f, const struct method *md)
{
    fprintf(f, "    (void)This;\n");
    for (int k = 0; k < md->nparams; k++)
        fprintf(f, "    (void)%s;\n", md->params[k].name);
    if (!strcmp(md->ret, "SCODE") || !strcmp(md->ret, "HRESULT"))
        fprintf(f, "    return RPC_E_BADMETHOD;\n}\n");
    else if (strcmp(md->ret, "void"))
        fprintf(f, "    return 0;\n}\n");
    else
        fprintf(f, "}\n");
}

// IUnknown's AddRef and Release count a proxy's references: the
// environment's business (com_proxy_addref, com_proxy_release), which
// crosses the transport only when it must.
static bool is_refcount(const struct mref *r)
{
    return !strcmp(r->owner->name, "IUnknown") && r->md->nparams == 0 &&
           (!strcmp(r->md->name, "AddRef") || !strcmp(r->md->name, "Release"));
}

static void emit_method(FILE *f, const struct iface *it, const struct mref *r)
{
    const struct method *md = r->md;
    fprintf(f, "\nstatic %s %s_%s_Proxy(%s *This", md->ret, it->name, md->name, it->name);
    emit_params(f, md);
    fprintf(f, ")\n{\n");
    if (md->local) {
        emit_local(f, md);
        return;
    }
    if (is_refcount(r)) {
        fprintf(f, "    return com_proxy_%s(This);\n}\n",
                strcmp(md->name, "AddRef") ? "release" : "addref");
        return;
    }
    fprintf(f, "    struct %s_%s_args idl_args;\n    SCODE idl_sc = S_OK;\n", r->owner->name,
            md->name);
    emit_locals(f, md);
    fprintf(f, "\n");
    emit_checks(f, md);
    emit_marshal_in(f, md);
    emit_release_in(f, md);
    fprintf(f,
            "    idl_sc = com_invoke(((const struct com_proxy *)(const void *)This)->handle, "
            "&IID_%s,\n                        %s_M_%s, &idl_args);\n",
            it->name, it->name, md->name);
    emit_unmarshal_out(f, md);
    emit_out_cleanup(f, md);
    for (int k = 0; k < md->nparams; k++)
        if (is_array(&md->params[k]))
            fprintf(f, "    com_free(idl_v_%s);\n", md->params[k].name);
    fprintf(f, "    return idl_sc;\n}\n");
}

static void emit_iface(FILE *f, const struct model *m, const struct iface *it)
{
    if (it->local)
        return;
    struct mref *all;
    int n = all_methods(m, it, &all);
    for (int i = 0; i < n; i++)
        emit_method(f, it, &all[i]);
    fprintf(f, "\nconst struct %sVtbl %s_ProxyVtbl = {\n", it->name, it->name);
    for (int i = 0; i < n; i++)
        fprintf(f, "    %s_%s_Proxy,\n", it->name, all[i].md->name);
    fprintf(f, "};\n");
    free(all);
}

void emit_proxy(FILE *f, const struct model *m, const char *base, const char *idlname)
{
    (void)idlname;
    fprintf(f, "#include \"%s.h\"\n", base);
    for (int i = 0; i < m->norder; i++)
        emit_iface(f, m, &m->ifaces[m->order[i]]);
}
