// The kernel signature registration: IIDs, and per method the argument
// block's size and, per argument, its kind, offset, size and the parameter
// that gives its element count. Sizes are sizeof expressions so they are
// right for whichever target compiles the file.
#include "emit.h"

#include <stdlib.h>

static const char *const kind_names[] = {
    "COM_ARG_VALUE",     "COM_ARG_IN_PTR",         "COM_ARG_OUT_PTR",
    "COM_ARG_INOUT_PTR", "COM_ARG_STRING",         "COM_ARG_IFACE_IN",
    "COM_ARG_IFACE_OUT", "COM_ARG_IFACE_IN_ARRAY", "COM_ARG_IFACE_OUT_ARRAY",
};

static void emit_guid(FILE *f, const char *type, const char *prefix, const char *name,
                      const unsigned char *u)
{
    fprintf(f, "\nconst %s %s_%s = {0x%02x%02x%02x%02xu, 0x%02x%02xu, 0x%02x%02xu,\n    {", type,
            prefix, name, u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7]);
    for (int i = 8; i < 16; i++)
        fprintf(f, "0x%02x%s", u[i], i < 15 ? ", " : "}};\n");
}

static void emit_fields(FILE *f, const struct model *m, const struct iface *it,
                        const struct method *md, const struct param *p)
{
    const struct record *r = &m->records[p->record];
    fprintf(f, "\nstatic const struct com_field_sig %s_%s_%s_Fields[] = {\n", it->name, md->name,
            p->name);
    for (int i = 0; i < r->nptrs; i++) {
        const struct field_ptr *fp = &r->ptrs[i];
        fprintf(f, "    {%s, %s, offsetof(%s, %s), sizeof(%s), ",
                fp->string ? "COM_ARG_STRING" : "COM_ARG_IN_PTR",
                fp->unique ? "COM_ARG_UNIQUE" : "0", p->pointee, fp->field, fp->pointee);
        if (fp->size_field)
            fprintf(f, "offsetof(%s, %s), sizeof(((%s *)0)->%s)},\n", p->pointee, fp->size_field,
                    p->pointee, fp->size_field);
        else
            fprintf(f, "-1, 0},\n");
    }
    fprintf(f, "};\n");
}

static void emit_expr(FILE *f, const struct iface *it, const struct method *md,
                      const struct param *p, const struct expr *e, const char *what)
{
    if (!e)
        return;
    fprintf(f, "\nstatic const struct com_expr_op %s_%s_%s_%s[] = {", it->name, md->name, p->name,
            what);
    expr_emit_sig(f, e);
    fprintf(f, "{COM_EXPR_END, 0, 0}};\n");
}

static void emit_expr_ref(FILE *f, const struct iface *it, const struct method *md,
                          const struct param *p, const struct expr *e, const char *what)
{
    if (e)
        fprintf(f, "%s_%s_%s_%s, ", it->name, md->name, p->name, what);
    else
        fprintf(f, "NULL, ");
}

// The size of a value, or of one element a pointer points to.
static void emit_size(FILE *f, const struct param *p)
{
    if (p->kind == ARG_IFACE_IN || p->kind == ARG_IFACE_OUT || p->kind == ARG_IFACE_IN_ARRAY ||
        p->kind == ARG_IFACE_OUT_ARRAY)
        fprintf(f, "sizeof(com_handle_t), ");
    else if (p->kind == ARG_VALUE)
        fprintf(f, "sizeof(%s), ", p->type);
    else if (p->is_void_p)
        fprintf(f, "1, ");
    else
        fprintf(f, "sizeof(%s), ", p->pointee);
}

static void emit_arg(FILE *f, const struct model *m, const struct iface *it,
                     const struct method *md, const struct param *p)
{
    bool has_fields = p->record >= 0 && m->records[p->record].nptrs;
    fprintf(f, "    {%s, %s, ", kind_names[p->kind], p->unique ? "COM_ARG_UNIQUE" : "0");
    if (p->iid_is == IDLC_NO_PARAM)
        fprintf(f, "COM_NO_PARAM, ");
    else
        fprintf(f, "%d, ", p->iid_is);
    fprintf(f, "%d, offsetof(struct %s_%s_args, %s), ",
            has_fields ? m->records[p->record].nptrs : 0, it->name, md->name, p->name);
    emit_size(f, p);
    if (p->iface)
        fprintf(f, "&IID_%s, ", p->iface);
    else
        fprintf(f, "NULL, ");
    emit_expr_ref(f, it, md, p, p->size, "Size");
    emit_expr_ref(f, it, md, p, p->length, "Length");
    if (has_fields)
        fprintf(f, "%s_%s_%s_Fields},\n", it->name, md->name, p->name);
    else
        fprintf(f, "NULL},\n");
}

static void emit_method(FILE *f, const struct model *m, const struct iface *it,
                        const struct method *md)
{
    for (int k = 0; k < md->nparams; k++) {
        const struct param *p = &md->params[k];
        if (p->record >= 0 && m->records[p->record].nptrs)
            emit_fields(f, m, it, md, p);
        emit_expr(f, it, md, p, p->size, "Size");
        emit_expr(f, it, md, p, p->length, "Length");
    }
    if (md->nparams) {
        fprintf(f, "\nstatic const struct com_arg_sig %s_%s_Args[] = {\n", it->name, md->name);
        for (int k = 0; k < md->nparams; k++)
            emit_arg(f, m, it, md, &md->params[k]);
        fprintf(f, "};\n");
    }
    fprintf(f, "\nconst struct com_method_sig %s_%s_Sig = {\"%s\", %d, sizeof(struct %s_%s_args), ",
            it->name, md->name, md->name, md->nparams, it->name, md->name);
    if (md->nparams)
        fprintf(f, "%s_%s_Args};\n", it->name, md->name);
    else
        fprintf(f, "NULL};\n");
}

static void emit_iface(FILE *f, const struct model *m, const struct iface *it)
{
    emit_guid(f, "IID", "IID", it->name, it->uuid);
    if (it->local)
        return; // the IID only: a local interface has no signature
    for (int i = 0; i < it->nmethods; i++)
        if (!it->methods[i].local)
            emit_method(f, m, it, &it->methods[i]);
    struct mref *all;
    int n = all_methods(m, it, &all);
    fprintf(f, "\nstatic const struct com_method_sig *const %s_Methods[] = {\n", it->name);
    for (int i = 0; i < n; i++)
        if (all[i].md->local)
            fprintf(f, "    NULL, /* %s is [local] */\n", all[i].md->name);
        else
            fprintf(f, "    &%s_%s_Sig,\n", all[i].owner->name, all[i].md->name);
    if (!n)
        fprintf(f, "    NULL,\n");
    fprintf(f,
            "};\n\nconst struct com_iface_sig %s_Signature = {&IID_%s, \"%s\", %d, %s_Methods};\n",
            it->name, it->name, it->name, n, it->name);
    free(all);
}

// CLSID_Foo and the interfaces Foo implements, the [default] one first.
static void emit_coclass(FILE *f, const struct coclass *cc)
{
    emit_guid(f, "CLSID", "CLSID", cc->name, cc->uuid);
    fprintf(f, "\nstatic const IID *const %s_Interfaces[] = {\n", cc->name);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < cc->nmembers; i++)
            if (cc->members[i].is_default == (pass == 0))
                fprintf(f, "    &IID_%s,\n", cc->members[i].name);
    if (!cc->nmembers)
        fprintf(f, "    NULL,\n");
    fprintf(
        f,
        "};\n\nconst struct com_coclass_sig %s_Coclass = {&CLSID_%s, \"%s\", %d, %s_Interfaces};\n",
        cc->name, cc->name, cc->name, cc->nmembers, cc->name);
}

void emit_sig(FILE *f, const struct model *m, const char *base, const char *idlname)
{
    (void)idlname;
    fprintf(f, "#include \"%s.h\"\n", base);
    for (int i = 0; i < m->norder; i++)
        emit_iface(f, m, &m->ifaces[m->order[i]]);
    for (int i = 0; i < m->main->nlibraries; i++)
        emit_guid(f, "IID", "LIBID", m->main->libraries[i].name, m->main->libraries[i].uuid);
    for (int i = 0; i < m->main->ncoclasses; i++)
        emit_coclass(f, &m->main->coclasses[i]);
}
