// Which attributes idlc knows and where each may appear.
#include "clangutil.h"

#include <string.h>

struct known {
    const char *name;
    unsigned sites; // bit per enum attr_site
    bool arg;       // takes a parenthesised argument
};

#define S(x) (1u << (x))

static const struct known known[] = {
    {"object", S(SITE_IFACE), false},
    {"uuid", S(SITE_IFACE) | S(SITE_LIBRARY), true},
    {"local", S(SITE_IFACE) | S(SITE_METHOD), false},
    {"pointer_default", S(SITE_IFACE), true},
    {"version", S(SITE_IFACE) | S(SITE_LIBRARY), true},
    {"helpstring", S(SITE_IFACE) | S(SITE_METHOD) | S(SITE_TYPE) | S(SITE_LIBRARY), true},
    {"helpcontext", S(SITE_IFACE) | S(SITE_METHOD) | S(SITE_TYPE) | S(SITE_LIBRARY), true},
    {"dual", S(SITE_IFACE), false},
    {"oleautomation", S(SITE_IFACE), false},
    {"nonextensible", S(SITE_IFACE), false},
    {"hidden", S(SITE_IFACE) | S(SITE_METHOD) | S(SITE_LIBRARY), false},
    {"restricted", S(SITE_METHOD), false},
    {"propget", S(SITE_METHOD), false},
    {"propput", S(SITE_METHOD), false},
    {"propputref", S(SITE_METHOD), false},
    {"id", S(SITE_METHOD), true},
    {"call_as", S(SITE_METHOD), true},
    {"retval", S(SITE_PARAM), false},
    {"lcid", S(SITE_LIBRARY), true},
    {"default", S(SITE_MEMBER), false},
    {"in", S(SITE_PARAM), false},
    {"out", S(SITE_PARAM), false},
    {"size_is", S(SITE_PARAM) | S(SITE_FIELD), true},
    {"length_is", S(SITE_PARAM) | S(SITE_FIELD), true},
    {"string", S(SITE_PARAM) | S(SITE_FIELD), false},
    {"iid_is", S(SITE_PARAM), true},
    {"unique", S(SITE_PARAM) | S(SITE_FIELD), false},
    {"ref", S(SITE_PARAM) | S(SITE_FIELD), false},
    {"public", S(SITE_TYPE), false},
    {"v1_enum", S(SITE_TYPE), false},
};

static const char *const site_names[] = {"an interface",    "a method", "a parameter",
                                         "a field",         "a type",   "a library or coclass",
                                         "a coclass member"};

static const struct known *lookup(const char *name)
{
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (!strcmp(known[i].name, name))
            return &known[i];
    return NULL;
}

// Diagnoses unknown attributes, attributes in the wrong place and missing
// or unexpected arguments. Returns false if any was found.
bool attrs_check(const struct attr_list *list, enum attr_site site)
{
    bool ok = true;
    for (int i = 0; list && i < list->nattrs; i++) {
        const struct attr *a = &list->attrs[i];
        const struct known *k = lookup(a->name);
        if (!k)
            diag_error(a->pos, "unknown attribute '%s'", a->name);
        else if (!(k->sites & S(site)))
            diag_error(a->pos, "attribute '%s' does not apply to %s", a->name, site_names[site]);
        else if (k->arg && (!a->arg || !a->arg[0]))
            diag_error(a->pos, "attribute '%s' needs an argument", a->name);
        else if (!k->arg && a->arg)
            diag_error(a->pos, "attribute '%s' takes no argument", a->name);
        else if (attr_find(list, a->name) != a)
            diag_error(a->pos, "duplicate attribute '%s'", a->name);
        else
            continue;
        ok = false;
    }
    return ok;
}

const struct attr *attr_find(const struct attr_list *list, const char *name)
{
    for (int i = 0; list && i < list->nattrs; i++)
        if (!strcmp(list->attrs[i].name, name))
            return &list->attrs[i];
    return NULL;
}
