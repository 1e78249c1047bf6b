/* size_is and length_is programs (see <kernel/ipc/sigeval.h>). */
#include <kernel/ipc/sigeval.h>
#include <kernel/string.h>

#define MAX_EXPR_VALS 8 /* <com/sig.h>: at most 8 values on the stack */

/* Fixed-size copies (__builtin_memcpy of a constant size compiles to plain
 * loads, even under -fno-builtin): every kernel call reads its arguments
 * through these. */
uint64_t com_sig_read_uint(const void *at, size_t size)
{
    uint8_t v1;
    uint16_t v2;
    uint32_t v4;
    uint64_t v8;
    switch (size) {
    case 1:
        __builtin_memcpy(&v1, at, 1);
        return v1;
    case 2:
        __builtin_memcpy(&v2, at, 2);
        return v2;
    case 4:
        __builtin_memcpy(&v4, at, 4);
        return v4;
    default:
        v8 = 0;
        memcpy(&v8, at, size < sizeof(v8) ? size : sizeof(v8));
        return v8;
    }
}

void *com_sig_read_ptr(const void *block, const struct com_arg_sig *a)
{
    void *p;
    __builtin_memcpy(&p, (const char *)block + a->offset, sizeof(p));
    return p;
}

bool com_sig_is_data_ptr(uint8_t kind)
{
    return kind == COM_ARG_IN_PTR || kind == COM_ARG_OUT_PTR || kind == COM_ARG_INOUT_PTR;
}

/* One operand of a program. */
static SCODE operand(const struct com_method_sig *m, const void *block,
                     const struct com_expr_op *op, uint64_t *v)
{
    if (op->op == COM_EXPR_CONST) {
        *v = op->value;
        return S_OK;
    }
    if (op->param >= m->nargs)
        return RPC_E_INVALID_BOUND;
    const struct com_arg_sig *a = &m->args[op->param];
    if (op->op == COM_EXPR_PARAM) {
        if (a->kind != COM_ARG_VALUE)
            return RPC_E_INVALID_BOUND;
        *v = com_sig_read_uint((const char *)block + a->offset, a->size);
        return S_OK;
    }
    if (!com_sig_is_data_ptr(a->kind) || a->size > sizeof(uint64_t))
        return RPC_E_INVALID_BOUND;
    const void *p = com_sig_read_ptr(block, a);
    if (!p)
        return E_POINTER;
    *v = com_sig_read_uint(p, a->size);
    return S_OK;
}

static SCODE apply(uint8_t op, uint64_t a, uint64_t b, uint64_t *r)
{
    switch (op) {
    case COM_EXPR_ADD:
        return __builtin_add_overflow(a, b, r) ? RPC_E_INVALID_BOUND : S_OK;
    case COM_EXPR_SUB:
        return __builtin_sub_overflow(a, b, r) ? RPC_E_INVALID_BOUND : S_OK;
    case COM_EXPR_MUL:
        return __builtin_mul_overflow(a, b, r) ? RPC_E_INVALID_BOUND : S_OK;
    case COM_EXPR_DIV:
        if (!b)
            return RPC_E_INVALID_BOUND;
        *r = a / b;
        return S_OK;
    default:
        return RPC_E_INVALID_BOUND;
    }
}

static SCODE eval(const struct com_method_sig *m, const void *block, const struct com_expr_op *ops,
                  uint64_t *out)
{
    uint64_t st[MAX_EXPR_VALS];
    int sp = 0;
    for (int i = 0; i < COM_EXPR_MAX; i++) {
        const struct com_expr_op *op = &ops[i];
        SCODE sc = S_OK;
        if (op->op == COM_EXPR_END) {
            if (sp != 1)
                return RPC_E_INVALID_BOUND;
            *out = st[0];
            return S_OK;
        }
        if (op->op <= COM_EXPR_DEREF) {
            if (sp == MAX_EXPR_VALS)
                return RPC_E_INVALID_BOUND;
            sc = operand(m, block, op, &st[sp++]);
        } else if (sp < 2) {
            return RPC_E_INVALID_BOUND;
        } else {
            sp--;
            sc = apply(op->op, st[sp - 1], st[sp], &st[sp - 1]);
        }
        if (FAILED(sc))
            return sc;
    }
    return RPC_E_INVALID_BOUND;
}

SCODE com_sig_count(const struct com_method_sig *m, const void *block,
                    const struct com_expr_op *ops, uint64_t dflt, uint64_t *out)
{
    if (!ops) {
        *out = dflt;
        return S_OK;
    }
    return eval(m, block, ops, out);
}

SCODE com_sig_bytes(uint64_t count, uint32_t size, uint64_t max, size_t *out)
{
    uint64_t b;
    if (__builtin_mul_overflow(count, (uint64_t)size, &b) || b > max)
        return RPC_E_INVALID_BOUND;
    *out = (size_t)b;
    return S_OK;
}
