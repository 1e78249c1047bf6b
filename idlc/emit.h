// Shared by the four back ends (emit_*.c).
#ifndef IDLC_EMIT_H
#define IDLC_EMIT_H

#include "idlc.h"

// A method of an interface's full vtbl and the interface that declares it.
struct mref {
    const struct iface *owner;
    const struct method *md;
};

int all_methods(const struct model *m, const struct iface *it, struct mref **out);
void emit_params(FILE *f, const struct method *md);
const char *block_type(const struct param *p);
void emit_iid_expr(FILE *f, const struct param *p, const struct method *md, const char *prefix);

#endif
