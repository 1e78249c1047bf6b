// Implementations of ICounter and IExample (test/idlc/idlc_example.idl) for
// the round-trip tests: plain C objects behind generated vtbls.
#include "example_impl.h"

#include <stdlib.h>
#include <string.h>

const void *example_last_in; // the `in` pointer Scale last saw
int counter_live;
ULONG example_read_len;
ULONG example_next_avail;
int example_both_calls;

struct counter {
    ICounter itf;
    int refs;
    int32_t total;
};

static SCODE counter_qi(ICounter *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_ICounter) && !com_iid_equal(riid, &IID_IUnknown)) {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    ICounter_AddRef(This);
    *ppv = This;
    return S_OK;
}

static SCODE counter_addref(ICounter *This)
{
    ((struct counter *)This)->refs++;
    return S_OK;
}

static SCODE counter_release(ICounter *This)
{
    if (--((struct counter *)This)->refs == 0) {
        free(This);
        counter_live--;
    }
    return S_OK;
}

int counter_refs(ICounter *c)
{
    return ((struct counter *)c)->refs;
}

static SCODE counter_add(ICounter *This, int32_t delta, int32_t *total)
{
    struct counter *c = (struct counter *)This;
    *total = c->total += delta;
    return S_OK;
}

static const struct ICounterVtbl counter_vtbl = {counter_qi, counter_addref, counter_release,
                                                 counter_add};

ICounter *counter_new(int32_t start)
{
    struct counter *c = calloc(1, sizeof(*c));
    c->itf.lpVtbl = &counter_vtbl;
    c->refs = 1;
    c->total = start;
    counter_live++;
    return &c->itf;
}

struct example {
    IExample itf;
    int refs;
};

static SCODE ex_qi(IExample *This, REFIID riid, void **ppv)
{
    *ppv = NULL;
    if (!com_iid_equal(riid, &IID_IExample) && !com_iid_equal(riid, &IID_IUnknown))
        return E_NOINTERFACE;
    IExample_AddRef(This);
    *ppv = This;
    return S_OK;
}

static SCODE ex_addref(IExample *This)
{
    ((struct example *)This)->refs++;
    return S_OK;
}

static SCODE ex_release(IExample *This)
{
    if (--((struct example *)This)->refs == 0)
        free(This);
    return S_OK;
}

static SCODE ex_scale(IExample *This, int32_t factor, const Point *in, Point *out, int32_t *acc)
{
    (void)This;
    example_last_in = in;
    out->x = in->x * factor;
    out->y = in->y * factor;
    *acc += out->x + out->y;
    return S_OK;
}

static SCODE ex_sum(IExample *This, COUNT n, const int32_t *values, int64_t *sum)
{
    (void)This;
    *sum = 0;
    for (COUNT i = 0; i < n; i++)
        *sum += values[i];
    return S_OK;
}

static SCODE ex_fill(IExample *This, COUNT n, int32_t *values)
{
    (void)This;
    for (COUNT i = 0; i < n; i++)
        values[i] = (int32_t)(i * i);
    return S_OK;
}

static SCODE ex_length(IExample *This, const char *s, uint32_t *len, const enum Colour *colour)
{
    (void)This;
    *len = (uint32_t)strlen(s) + (colour ? (uint32_t)*colour * 1000 : 0);
    return S_OK;
}

static SCODE ex_bump(IExample *This, ICounter *counter, int32_t delta, int32_t *total)
{
    (void)This;
    return ICounter_Add(counter, delta, total);
}

static SCODE ex_new_counter(IExample *This, int32_t start, ICounter **counter)
{
    (void)This;
    *counter = counter_new(start);
    return S_OK;
}

static SCODE ex_lookup(IExample *This, REFIID riid, void **ppv)
{
    (void)This;
    if (!com_iid_equal(riid, &IID_ICounter)) {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    *ppv = counter_new(100);
    return S_OK;
}

static SCODE ex_total(IExample *This, const Record *rec, int64_t *total)
{
    (void)This;
    *total = (int64_t)strlen(rec->name) * 1000;
    for (uint32_t i = 0; i < rec->nvalues; i++)
        *total += rec->values[i];
    return rec->values[0] < 0 ? E_INVALIDARG : S_OK;
}

static SCODE ex_total_all(IExample *This, COUNT n, const Record *recs, int64_t *total)
{
    *total = 0;
    for (COUNT i = 0; i < n; i++) {
        int64_t t;
        ex_total(This, &recs[i], &t);
        *total += t;
    }
    example_last_in = n > 1 ? recs[1].values : NULL;
    return S_OK;
}

static SCODE ex_read(IExample *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    (void)This;
    memset(pv, 'r', cb);
    *pcbRead = example_read_len;
    return S_OK;
}

static SCODE ex_pairs(IExample *This, COUNT n, const int32_t *pairs, int32_t *sums)
{
    (void)This;
    sums[n] = 0;
    for (COUNT i = 0; i < n; i++) {
        sums[i] = pairs[2 * i] + pairs[2 * i + 1];
        sums[n] += sums[i];
    }
    return S_OK;
}

static SCODE ex_counted(IExample *This, const uint32_t *pn, const int32_t *v, int64_t *sum)
{
    return ex_sum(This, *pn, v, sum);
}

static SCODE ex_next(IExample *This, ULONG celt, ICounter **rgelt, ULONG *pceltFetched)
{
    (void)This;
    ULONG n = celt < example_next_avail ? celt : example_next_avail;
    for (ULONG i = 0; i < n; i++)
        rgelt[i] = counter_new((int32_t)i * 10);
    *pceltFetched = n;
    return n == celt ? S_OK : S_FALSE;
}

static SCODE ex_add_all(IExample *This, ULONG n, ICounter **counters, int32_t delta, int32_t *sum)
{
    (void)This;
    *sum = 0;
    for (ULONG i = 0; i < n; i++) {
        int32_t t;
        SCODE sc = ICounter_Add(counters[i], delta, &t);
        if (FAILED(sc))
            return sc;
        *sum += t;
    }
    return S_OK;
}

static SCODE ex_both(IExample *This, ICounter *a, ICounter *b, ICounter *c, int32_t *total)
{
    (void)This;
    example_both_calls++;
    int32_t ta, tb, tc = 0;
    SCODE sc = ICounter_Add(a, 0, &ta);
    if (SUCCEEDED(sc))
        sc = ICounter_Add(b, 0, &tb);
    if (SUCCEEDED(sc) && c)
        sc = ICounter_Add(c, 0, &tc);
    *total = ta + tb + tc;
    return sc;
}

static const struct IExampleVtbl example_vtbl = {
    ex_qi,     ex_addref, ex_release,     ex_scale,  ex_sum,     ex_fill,
    ex_length, ex_bump,   ex_new_counter, ex_lookup, ex_total,   ex_total_all,
    ex_read,   ex_pairs,  ex_counted,     ex_next,   ex_add_all, ex_both,
};

IExample *example_new(void)
{
    struct example *e = calloc(1, sizeof(*e));
    e->itf.lpVtbl = &example_vtbl;
    e->refs = 1;
    return &e->itf;
}
