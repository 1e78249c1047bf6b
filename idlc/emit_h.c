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
            size_t n = strlen(t);
            fprintf(f, "    %s%s%s;\n", t, n && (t[n - 1] == '*' || t[n - 1] == ' ') ? "" : " ",
                    p->name);
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

// One thing the header says, in the order of the main file.
struct item {
    size_t off;
    enum { IT_DECL, IT_IFACE, IT_QUOTE, IT_COCLASS, IT_LIBRARY } kind;
    int index;
};

static int by_offset(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

static void emit_item(FILE *f, const struct model *m, const struct item *it)
{
    const struct source *src = m->main;
    switch (it->kind) {
    case IT_DECL:
        fprintf(f, "\n%s", m->decls[it->index].text);
        break;
    case IT_IFACE:
        emit_iface(f, m, &m->ifaces[it->index]);
        break;
    case IT_QUOTE:
        fprintf(f, "\n%s\n", src->quotes[it->index].text);
        break;
    case IT_COCLASS:
        fprintf(f, "\n/* coclass %s */\nextern const CLSID CLSID_%s;\n",
                src->coclasses[it->index].name, src->coclasses[it->index].name);
        fprintf(f, "extern const struct com_coclass_sig %s_Coclass;\n",
                src->coclasses[it->index].name);
        break;
    case IT_LIBRARY:
        fprintf(f, "\n/* library %s */\nextern const IID LIBID_%s;\n",
                src->libraries[it->index].name, src->libraries[it->index].name);
        break;
    }
}

// Declarations, interfaces, cpp_quote text, coclasses and libraries, in
// the order the main file has them (each interface's types come first).
static void emit_body(FILE *f, const struct model *m)
{
    const struct source *src = m->main;
    int n = m->ndecls + m->norder + src->nquotes + src->ncoclasses + src->nlibraries, k = 0;
    struct item *items = xcalloc((size_t)n + 1, sizeof(*items));
    for (int i = 0; i < m->ndecls; i++)
        items[k++] = (struct item){m->decls[i].off, IT_DECL, i};
    for (int i = 0; i < m->norder; i++)
        items[k++] = (struct item){m->ifaces[m->order[i]].off, IT_IFACE, m->order[i]};
    for (int i = 0; i < src->nquotes; i++)
        items[k++] = (struct item){src->quotes[i].off, IT_QUOTE, i};
    for (int i = 0; i < src->ncoclasses; i++)
        items[k++] = (struct item){src->coclasses[i].off, IT_COCLASS, i};
    for (int i = 0; i < src->nlibraries; i++)
        items[k++] = (struct item){src->libraries[i].off, IT_LIBRARY, i};
    qsort(items, (size_t)n, sizeof(*items), by_offset);
    for (int i = 0; i < n; i++)
        emit_item(f, m, &items[i]);
    free(items);
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
    emit_body(f, m);
    fprintf(f, "\n#endif\n");
}
