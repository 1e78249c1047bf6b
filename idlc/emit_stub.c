// The server stub: unmarshals an argument block, calls the implementation
// through its vtbl and marshals the interface pointers it returns.
#include "emit.h"

#include <stdlib.h>
#include <string.h>

static void emit_locals(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->kind == ARG_IFACE_IN)
            fprintf(f, "    void *idl_i_%s = NULL;\n", p->name);
        else if (p->kind == ARG_IFACE_OUT)
            fprintf(f, "    %s%sidl_o_%s = NULL;\n", p->pointee,
                    p->pointee[strlen(p->pointee) - 1] == '*' ? "" : " ", p->name);
    }
}

static void emit_unmarshal_in(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->kind != ARG_IFACE_IN)
            continue;
        fprintf(f,
                "    if (SUCCEEDED(idl_sc))\n        idl_sc = com_unmarshal_interface(idl_a->%s, ",
                p->name);
        emit_iid_expr(f, p, md, "idl_a->");
        fprintf(f, ", &idl_i_%s);\n", p->name);
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
        else
            fprintf(f, ", idl_a->%s", p->name);
    }
    fprintf(f, ");\n");
}

// Returned interfaces become handles; every local reference is dropped.
static void emit_cleanup(FILE *f, const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->kind == ARG_IFACE_OUT) {
            fprintf(f,
                    "    if (SUCCEEDED(idl_sc))\n        idl_sc = com_marshal_interface(idl_o_%s, ",
                    p->name);
            emit_iid_expr(f, p, md, "idl_a->");
            fprintf(f,
                    ", idl_a->%s);\n    if (idl_o_%s)\n        com_release_interface(idl_o_%s);\n",
                    p->name, p->name, p->name);
        } else if (p->kind == ARG_IFACE_IN) {
            fprintf(f, "    if (idl_i_%s)\n        com_release_interface(idl_i_%s);\n", p->name,
                    p->name);
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
    emit_cleanup(f, md);
    fprintf(f, "    return idl_sc;\n}\n");
}

static void emit_iface(FILE *f, const struct model *m, const struct iface *it)
{
    struct mref *all;
    int n = all_methods(m, it, &all);
    for (int i = 0; i < n; i++)
        emit_method(f, it, &all[i]);
    fprintf(f, "\nSCODE %s_Dispatch(void *obj, uint32_t method, void *args)\n{\n", it->name);
    fprintf(f, "    %s *This = obj;\n\n    switch (method) {\n", it->name);
    for (int i = 0; i < n; i++)
        fprintf(f, "    case %s_M_%s:\n        return %s_%s_Stub(This, args);\n", it->name,
                all[i].md->name, it->name, all[i].md->name);
    fprintf(f, "    default:\n        return RPC_E_BADMETHOD;\n    }\n}\n");
    free(all);
}

void emit_stub(FILE *f, const struct model *m, const char *base, const char *idlname)
{
    (void)idlname;
    fprintf(f, "#include \"%s.h\"\n", base);
    for (int i = 0; i < m->norder; i++)
        emit_iface(f, m, &m->ifaces[m->order[i]]);
}
