// The client proxy: each method fills its argument block, turns interface
// pointers into handles and calls the one transport entry point.
#include "emit.h"

#include <stdlib.h>

static void emit_marshal_in(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->kind == ARG_IFACE_IN) {
            fprintf(f, "    idl_sc = com_marshal_interface(%s, ", p->name);
            emit_iid_expr(f, p, md, "");
            fprintf(f, ", &idl_args.%s);\n    if (FAILED(idl_sc))\n        return idl_sc;\n",
                    p->name);
        } else if (p->kind == ARG_IFACE_OUT) {
            fprintf(f, "    idl_h_%s = 0;\n    idl_args.%s = &idl_h_%s;\n", p->name, p->name,
                    p->name);
            fprintf(f, "    *%s = NULL;\n", p->name);
        } else {
            fprintf(f, "    idl_args.%s = %s;\n", p->name, p->name);
        }
    }
    if (!md->nparams)
        fprintf(f, "    idl_args.idl_unused = 0;\n");
}

static void emit_unmarshal_out(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->kind != ARG_IFACE_OUT)
            continue;
        fprintf(f, "    if (SUCCEEDED(idl_sc)) {\n        void *idl_o = NULL;\n");
        fprintf(f, "        idl_sc = com_unmarshal_interface(idl_h_%s, ", p->name);
        emit_iid_expr(f, p, md, "");
        fprintf(f, ", &idl_o);\n        *%s = idl_o;\n    }\n", p->name);
    }
}

static void emit_method(FILE *f, const struct iface *it, const struct mref *r)
{
    const struct method *md = r->md;
    fprintf(f, "\nstatic SCODE %s_%s_Proxy(%s *This", it->name, md->name, it->name);
    emit_params(f, md);
    fprintf(f, ")\n{\n    struct %s_%s_args idl_args;\n    SCODE idl_sc;\n", r->owner->name,
            md->name);
    for (int k = 0; k < md->nparams; k++)
        if (md->params[k].kind == ARG_IFACE_OUT)
            fprintf(f, "    com_handle_t idl_h_%s;\n", md->params[k].name);
    fprintf(f, "\n");
    emit_marshal_in(f, md);
    fprintf(f,
            "    idl_sc = com_invoke(((const struct com_proxy *)(const void *)This)->handle, "
            "&IID_%s,\n                        %s_M_%s, &idl_args);\n",
            it->name, it->name, md->name);
    emit_unmarshal_out(f, md);
    fprintf(f, "    return idl_sc;\n}\n");
}

static void emit_iface(FILE *f, const struct model *m, const struct iface *it)
{
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
