// Checks that need the whole model: names that would clash in generated C,
// and attribute lists that attach to nothing.
#include "emit.h"

#include <stdlib.h>
#include <string.h>

static void check_methods(const struct model *m, const struct iface *it)
{
    struct mref *all;
    int n = all_methods(m, it, &all);
    for (int i = 0; i < n; i++) {
        if (all[i].owner != it)
            continue;
        for (int j = 0; j < i; j++) {
            if (strcmp(all[i].md->name, all[j].md->name))
                continue;
            if (all[j].owner == it)
                diag_error(all[i].md->pos, "duplicate method '%s' in interface '%s'",
                           all[i].md->name, it->name);
            else
                diag_error(all[i].md->pos, "method '%s' is already declared in base interface '%s'",
                           all[i].md->name, all[j].owner->name);
            break;
        }
    }
    free(all);
}

// Generated code declares `This` and idl_* locals next to the parameters.
static void check_params(const struct iface *it)
{
    for (int i = 0; i < it->nmethods; i++)
        for (int k = 0; k < it->methods[i].nparams; k++) {
            const struct param *p = &it->methods[i].params[k];
            if (!strcmp(p->name, "This") || !strncmp(p->name, "idl_", 4))
                diag_error(p->pos, "parameter name '%s' is reserved", p->name);
        }
}

static void check_uuids(const struct model *m, const struct iface *it)
{
    for (int i = 0; i < m->nifaces && &m->ifaces[i] != it; i++)
        if (m->ifaces[i].has_uuid && it->has_uuid && !memcmp(m->ifaces[i].uuid, it->uuid, 16))
            diag_error(it->pos, "interface '%s' has the same uuid as '%s'", it->name,
                       m->ifaces[i].name);
}

void check_model(struct model *m, struct sources *all)
{
    for (int i = 0; i < m->nifaces; i++) {
        if (!m->ifaces[i].main_file)
            continue;
        check_methods(m, &m->ifaces[i]);
        check_params(&m->ifaces[i]);
        check_uuids(m, &m->ifaces[i]);
    }
    const struct source *src = &all->v[0];
    for (int i = 0; i < src->nlists; i++)
        if (!src->lists[i].used)
            diag_error(src->lists[i].pos, "attribute list does not apply to any declaration");
}

static void free_iface(struct iface *it)
{
    for (int i = 0; i < it->nmethods; i++) {
        struct method *md = &it->methods[i];
        for (int k = 0; k < md->nparams; k++) {
            free(md->params[k].name);
            free(md->params[k].type);
            free(md->params[k].pointee);
            free(md->params[k].iface);
            expr_free(md->params[k].size);
            expr_free(md->params[k].length);
        }
        free(md->ret);
        free(md->params);
        free(md->name);
    }
    free(it->methods);
    free(it->name);
    free(it->base);
}

void model_free(struct model *m)
{
    for (int i = 0; i < m->nifaces; i++)
        free_iface(&m->ifaces[i]);
    for (int i = 0; i < m->ndecls; i++)
        free(m->decls[i].text);
    for (int i = 0; i < m->nincludes; i++)
        free(m->includes[i]);
    for (int i = 0; i < m->nrecords; i++) {
        for (int k = 0; k < m->records[i].nptrs; k++) {
            free(m->records[i].ptrs[k].field);
            free(m->records[i].ptrs[k].pointee);
            free(m->records[i].ptrs[k].size_field);
        }
        free(m->records[i].ptrs);
        free(m->records[i].name);
    }
    free(m->ifaces);
    free(m->decls);
    free(m->includes);
    free(m->records);
    free(m->order);
    memset(m, 0, sizeof(*m));
}
