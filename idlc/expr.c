// size_is and length_is arguments: MIDL's correlation expressions. A name
// (an integer parameter), `*p` (the integer a pointer parameter points to),
// integer literals, + - * / and parentheses. idlc parses them into a tree,
// writes them as C for the proxy and stub and as a small postfix program for
// the signature table (com_expr_op in <com/sig.h>).
#include "idlc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXPR_NODES 15 // a signature's program holds at most 16 ops

struct parser {
    const char *t;
    size_t i;
    const struct attr *a;
    int (*lookup)(void *ctx, const char *name);
    void *ctx;
    const char *owner; // "method 'F'": where names are looked up
    int nodes;
    bool ok;
};

static void fail(struct parser *ps, const char *what)
{
    if (ps->ok)
        diag_error(ps->a->pos, "%s: %s in '%s'", ps->a->name, what, ps->a->arg);
    ps->ok = false;
}

static void skip(struct parser *ps)
{
    while (isspace((unsigned char)ps->t[ps->i]))
        ps->i++;
}

static struct expr *node(struct parser *ps, enum expr_op op)
{
    if (++ps->nodes > MAX_EXPR_NODES)
        fail(ps, "expression too long");
    struct expr *e = xcalloc(1, sizeof(*e));
    e->op = op;
    e->param = IDLC_NO_PARAM;
    return e;
}

static struct expr *additive(struct parser *ps, int depth);

static struct expr *name_ref(struct parser *ps, enum expr_op op)
{
    size_t start = ps->i;
    while (isalnum((unsigned char)ps->t[ps->i]) || ps->t[ps->i] == '_')
        ps->i++;
    char *name = xstrndup(ps->t + start, ps->i - start);
    struct expr *e = node(ps, op);
    e->param = ps->lookup(ps->ctx, name);
    if (e->param == IDLC_NO_PARAM && ps->ok) {
        diag_error(ps->a->pos, "%s: '%s' is not a parameter of %s", ps->a->name, name, ps->owner);
        ps->ok = false;
    }
    free(name);
    return e;
}

static struct expr *literal(struct parser *ps)
{
    char *end;
    unsigned long long v = strtoull(ps->t + ps->i, &end, 0);
    ps->i = (size_t)(end - ps->t);
    while (strchr("uUlL", ps->t[ps->i]) && ps->t[ps->i])
        ps->i++;
    struct expr *e = node(ps, EX_CONST);
    if (v > 0xFFFFFFFFull)
        fail(ps, "constant larger than 32 bits");
    e->value = (uint32_t)v;
    return e;
}

static struct expr *primary(struct parser *ps, int depth)
{
    skip(ps);
    char c = ps->t[ps->i];
    if (depth > 8) {
        fail(ps, "expression nested too deeply");
        return node(ps, EX_CONST);
    }
    if (c == '(') {
        ps->i++;
        struct expr *e = additive(ps, depth + 1);
        skip(ps);
        if (ps->t[ps->i] != ')')
            fail(ps, "expected ')'");
        else
            ps->i++;
        return e;
    }
    if (c == '*') {
        ps->i++;
        skip(ps);
        if (isalpha((unsigned char)ps->t[ps->i]) || ps->t[ps->i] == '_')
            return name_ref(ps, EX_DEREF);
        fail(ps, "'*' must be followed by a parameter name");
        return node(ps, EX_CONST);
    }
    if (isalpha((unsigned char)c) || c == '_')
        return name_ref(ps, EX_PARAM);
    if (isdigit((unsigned char)c))
        return literal(ps);
    fail(ps, c ? "expected a parameter, '*parameter' or a number" : "expression ends early");
    return node(ps, EX_CONST);
}

static struct expr *binary(struct parser *ps, enum expr_op op, struct expr *l, struct expr *r)
{
    struct expr *e = node(ps, op);
    e->l = l;
    e->r = r;
    return e;
}

static struct expr *multiplicative(struct parser *ps, int depth)
{
    struct expr *e = primary(ps, depth);
    for (;;) {
        skip(ps);
        char c = ps->t[ps->i];
        if (c != '*' && c != '/')
            return e;
        ps->i++;
        e = binary(ps, c == '*' ? EX_MUL : EX_DIV, e, primary(ps, depth));
    }
}

static struct expr *additive(struct parser *ps, int depth)
{
    struct expr *e = multiplicative(ps, depth);
    for (;;) {
        skip(ps);
        char c = ps->t[ps->i];
        if (c != '+' && c != '-')
            return e;
        ps->i++;
        e = binary(ps, c == '+' ? EX_ADD : EX_SUB, e, multiplicative(ps, depth));
    }
}

struct expr *expr_parse(const struct attr *a, int (*lookup)(void *ctx, const char *name), void *ctx,
                        const char *owner)
{
    struct parser ps = {a->arg, 0, a, lookup, ctx, owner, 0, true};
    struct expr *e = additive(&ps, 0);
    skip(&ps);
    if (ps.t[ps.i])
        fail(&ps, "unexpected text");
    if (!ps.ok) {
        expr_free(e);
        return NULL;
    }
    return e;
}

void expr_free(struct expr *e)
{
    if (!e)
        return;
    expr_free(e->l);
    expr_free(e->r);
    free(e);
}

// Calls fn on every parameter reference (EX_PARAM and EX_DEREF nodes).
bool expr_refs_ok(const struct expr *e, bool (*fn)(void *ctx, const struct expr *ref), void *ctx)
{
    if (!e)
        return true;
    bool ok = expr_refs_ok(e->l, fn, ctx);
    ok = expr_refs_ok(e->r, fn, ctx) && ok;
    if (e->op == EX_PARAM || e->op == EX_DEREF)
        ok = fn(ctx, e) && ok;
    return ok;
}

// The only parameter of a plain `name` expression, or IDLC_NO_PARAM.
int expr_simple_param(const struct expr *e)
{
    return e && e->op == EX_PARAM ? e->param : IDLC_NO_PARAM;
}

static const char *const c_ops[] = {[EX_ADD] = "+", [EX_SUB] = "-", [EX_MUL] = "*", [EX_DIV] = "/"};

// As C, in uint64_t so no count wraps where the IDL's arithmetic would not;
// `prefix` goes before each parameter name (`idl_a->` in a stub).
void expr_emit_c(FILE *f, const struct expr *e, const struct method *md, const char *prefix)
{
    switch (e->op) {
    case EX_CONST:
        fprintf(f, "(uint64_t)%lluu", (unsigned long long)e->value);
        break;
    case EX_PARAM:
        fprintf(f, "(uint64_t)%s%s", prefix, md->params[e->param].name);
        break;
    case EX_DEREF:
        fprintf(f, "(uint64_t)*%s%s", prefix, md->params[e->param].name);
        break;
    default:
        fprintf(f, "(");
        expr_emit_c(f, e->l, md, prefix);
        fprintf(f, " %s ", c_ops[e->op]);
        expr_emit_c(f, e->r, md, prefix);
        fprintf(f, ")");
    }
}

static const char *const sig_ops[] = {
    [EX_CONST] = "COM_EXPR_CONST", [EX_PARAM] = "COM_EXPR_PARAM", [EX_DEREF] = "COM_EXPR_DEREF",
    [EX_ADD] = "COM_EXPR_ADD",     [EX_SUB] = "COM_EXPR_SUB",     [EX_MUL] = "COM_EXPR_MUL",
    [EX_DIV] = "COM_EXPR_DIV",
};

// As postfix ops for the signature: operands before their operator.
void expr_emit_sig(FILE *f, const struct expr *e)
{
    if (e->l)
        expr_emit_sig(f, e->l);
    if (e->r)
        expr_emit_sig(f, e->r);
    if (e->op == EX_CONST)
        fprintf(f, "{%s, 0, %lluu}, ", sig_ops[e->op], (unsigned long long)e->value);
    else if (e->op == EX_PARAM || e->op == EX_DEREF)
        fprintf(f, "{%s, %d, 0}, ", sig_ops[e->op], e->param);
    else
        fprintf(f, "{%s, 0, 0}, ", sig_ops[e->op]);
}
