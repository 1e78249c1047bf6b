// The generated header: types, vtbls, IIDs, method indices, call macros,
// argument blocks and the prototypes implementers and transports use.
#include "emit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void emit_vtbl(FILE *f, const struct model *m, const struct iface *it)
{
    struct mref *all;
    int n = all_methods(m, it, &all);
    for (int i = 0; i < n; i++) {
        fprintf(f, "typedef %s %s_%s_fn(%s *This", all[i].md->ret, it->name, all[i].md->name,
                it->name);
        emit_params(f, all[i].md);
        fprintf(f, ");\n");
    }
    fprintf(f, "\nstruct %sVtbl {\n", it->name);
    for (int i = 0; i < n; i++)
        fprintf(f, "    %s_%s_fn *%s;\n", it->name, all[i].md->name, all[i].md->name);
    fprintf(f, "};\n\nstruct %s {\n    const struct %sVtbl *lpVtbl;\n};\n\n", it->name, it->name);
    fprintf(f, "enum {\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "    %s_M_%s = %d,\n", it->name, all[i].md->name, i);
    fprintf(f, "    %s_NMETHODS = %d\n};\n\n", it->name, n);
    for (int i = 0; i < n; i++) {
        const struct method *md = all[i].md;
        fprintf(f, "#define %s_%s(This", it->name, md->name);
        for (int k = 0; k < md->nparams; k++)
            fprintf(f, ", %s", md->params[k].name);
        fprintf(f, ") ((This)->lpVtbl->%s((This)", md->name);
        for (int k = 0; k < md->nparams; k++)
            fprintf(f, ", (%s)", md->params[k].name);
        fprintf(f, "))\n");
    }
    free(all);
}

// The argument block of each method the interface declares itself.
static void emit_blocks(FILE *f, const struct iface *it)
{
    for (int i = 0; i < it->nmethods; i++) {
        const struct method *md = &it->methods[i];
        if (md->local)
            continue;
        fprintf(f, "\nstruct %s_%s_args {\n", it->name, md->name);
        for (int k = 0; k < md->nparams; k++) {
            const struct param *p = &md->params[k];
            const char *bt = block_type(p);
            const char *t = bt ? bt : p->type;
            fprintf(f, "    %s%s%s;\n", t, t[0] && t[strlen(t) - 1] == '*' ? "" : " ", p->name);
        }
        if (!md->nparams)
            fprintf(f, "    uint8_t idl_unused;\n");
        fprintf(f, "};\nextern const struct com_method_sig %s_%s_Sig;\n", it->name, md->name);
    }
}

static void emit_iface(FILE *f, const struct model *m, const struct iface *it)
{
    fprintf(f, "\n/* interface %s */\n\nextern const IID IID_%s;\n\n", it->name, it->name);
    emit_vtbl(f, m, it);
    if (it->local)
        return; // never crosses a transport: no blocks, proxy, stub or signature
    emit_blocks(f, it);
    fprintf(f, "\n/* A proxy's vtbl, the server stub and the kernel signature. */\n");
    fprintf(f, "extern const struct %sVtbl %s_ProxyVtbl;\n", it->name, it->name);
    fprintf(f, "com_dispatch_fn %s_Dispatch;\n", it->name);
    fprintf(f, "extern const struct com_iface_sig %s_Signature;\n", it->name);
}

void emit_header(FILE *f, const struct model *m, const char *base, const char *idlname)
{
    (void)idlname;
    char *guard = xstrdup(base);
    for (char *c = guard; *c; c++)
        if (!isalnum((unsigned char)*c))
            *c = '_';
    fprintf(f, "#ifndef IDLC_%s_H\n#define IDLC_%s_H\n\n#include <com/com.h>\n", guard, guard);
    free(guard);
    for (int i = 0; i < m->nincludes; i++)
        fprintf(f, "#include \"%s\"\n", m->includes[i]);
    fprintf(f, "\n");
    for (int i = 0; i < m->nifaces; i++)
        if (m->ifaces[i].main_file)
            fprintf(f, "typedef struct %s %s;\n", m->ifaces[i].name, m->ifaces[i].name);
    for (int i = 0; i < m->ndecls; i++)
        fprintf(f, "\n%s", m->decls[i].text);
    for (int i = 0; i < m->norder; i++)
        emit_iface(f, m, &m->ifaces[m->order[i]]);
    fprintf(f, "\n#endif\n");
}
