/* Pointer arguments of a kernel call (see <kernel/ipc/args.h>). */
#include <kernel/ipc/args.h>
#include <kernel/ipc/sigeval.h>
#include <kernel/string.h>

static void write_ptr(void *block, const struct com_arg_sig *a, uintptr_t p)
{
    __builtin_memcpy((char *)block + a->offset, &p, sizeof p);
}

/* The alignment an element of `size` bytes needs: its largest power-of-two
 * factor, at most 4 (the 32-bit targets' word). */
static uintptr_t alignment_of(uint32_t size)
{
    uintptr_t a = size & -size;
    return a == 0 || a > 4 ? 4 : a;
}

/* [p, p + bytes) lies in the view and p is aligned for elements of size. */
static bool in_view(const struct user_view *v, uintptr_t p, uint64_t bytes, uint32_t size)
{
    return p >= v->lo && p <= v->hi && bytes <= (uint64_t)(v->hi - p) &&
           (p & (alignment_of(size) - 1)) == 0;
}

static bool is_pointer(uint8_t kind)
{
    return kind != COM_ARG_VALUE && kind != COM_ARG_IFACE_IN;
}

/* Arguments some size_is program reads through (DEREF), as a bit set. */
static uint32_t deref_targets(const struct com_method_sig *m)
{
    uint32_t set = 0;
    for (unsigned i = 0; i < m->nargs; i++) {
        const struct com_expr_op *ops = m->args[i].size_is;
        for (int k = 0; ops && k < COM_EXPR_MAX && ops[k].op != COM_EXPR_END; k++)
            if (ops[k].op == COM_EXPR_DEREF && ops[k].param < 32)
                set |= 1u << ops[k].param;
    }
    return set;
}

/* Copy the integer argument a points to into a shadow and point a there. */
static SCODE shadow(void *block, const struct com_arg_sig *a, const struct user_view *v,
                    struct kcall_shadows *sh)
{
    uintptr_t p = (uintptr_t)com_sig_read_ptr(block, a);
    if (!com_sig_is_data_ptr(a->kind) || a->size > sizeof(uint64_t) || a->size == 0 ||
        sh->n == KCALL_MAX_SHADOWS)
        return RPC_E_INVALID_BOUND;
    if (!in_view(v, p, a->size, a->size))
        return E_POINTER;
    struct kcall_shadow *s = &sh->s[sh->n++];
    s->user = p + v->bias;
    s->size = (uint8_t)a->size;
    s->value = com_sig_read_uint((const void *)s->user, a->size);
    s->write_back = a->kind != COM_ARG_IN_PTR;
    write_ptr(block, a, (uintptr_t)&s->value);
    return S_OK;
}

/* Bytes of the string at user address p, terminator included. */
static SCODE string_bytes(uintptr_t p, const struct user_view *v, uint64_t *bytes)
{
    for (uint64_t n = 0; n < v->max_string && p + n < v->hi; n++) {
        if (((const volatile char *)(p + v->bias))[n] == 0) {
            *bytes = n + 1;
            return S_OK;
        }
    }
    return p + v->max_string <= v->hi ? RPC_E_INVALID_BOUND : E_POINTER;
}

/* Check one pointer argument and rebias it. */
static SCODE translate_one(const struct com_method_sig *m, void *block, const struct com_arg_sig *a,
                           const struct user_view *v)
{
    uintptr_t p = (uintptr_t)com_sig_read_ptr(block, a);
    if (a->nfields)
        return E_NOTIMPL;
    if (!p)
        return a->flags & COM_ARG_UNIQUE ? S_OK : E_POINTER;
    if (p < v->lo || p >= v->hi)
        return E_POINTER;
    uint64_t count, bytes;
    size_t n = 0;
    SCODE sc = S_OK;
    if (a->kind == COM_ARG_STRING) {
        sc = string_bytes(p, v, &bytes);
    } else {
        sc = com_sig_count(m, block, a->size_is, 1, &count);
        if (SUCCEEDED(sc))
            sc = com_sig_bytes(count, a->size, v->hi - v->lo, &n);
        bytes = n;
    }
    if (FAILED(sc))
        return sc;
    if (!in_view(v, p, bytes, a->kind == COM_ARG_STRING ? 1 : a->size))
        return E_POINTER;
    write_ptr(block, a, p + v->bias);
    return S_OK;
}

SCODE kcall_translate(const struct com_method_sig *m, void *block, const struct user_view *v,
                      struct kcall_shadows *sh)
{
    uint32_t derefs = deref_targets(m);
    sh->n = 0;
    for (unsigned i = 0; i < m->nargs; i++) {
        if (derefs & (1u << i)) {
            SCODE sc = shadow(block, &m->args[i], v, sh);
            if (FAILED(sc))
                return sc;
        }
    }
    for (unsigned i = 0; i < m->nargs; i++) {
        const struct com_arg_sig *a = &m->args[i];
        if (!is_pointer(a->kind) || (derefs & (1u << i)))
            continue;
        SCODE sc = translate_one(m, block, a, v);
        if (FAILED(sc))
            return sc;
    }
    return S_OK;
}

void kcall_write_back(const struct kcall_shadows *sh)
{
    for (unsigned i = 0; i < sh->n; i++)
        if (sh->s[i].write_back)
            memcpy((void *)sh->s[i].user, &sh->s[i].value, sh->s[i].size);
}
