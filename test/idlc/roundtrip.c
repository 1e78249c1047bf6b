// Round trip: a call through proxy -> loopback transport -> stub ->
// implementation gives the same results as the direct vtbl call, and the
// implementation sees copies, not the caller's memory.
#include <criterion/criterion.h>
#include <string.h>

#include "example_impl.h"
#include "loopback.h"

static IExample *direct, *proxy;

static void setup(void)
{
    loopback_register(&IExample_Signature, IExample_Dispatch, &IExample_ProxyVtbl);
    loopback_register(&ICounter_Signature, ICounter_Dispatch, &ICounter_ProxyVtbl);
    loopback_register(&IUnknown_Signature, IUnknown_Dispatch, &IUnknown_ProxyVtbl);
    direct = example_new();
    com_handle_t h;
    cr_assert_eq(com_marshal_interface(direct, &IID_IExample, &h), S_OK);
    void *p;
    cr_assert_eq(com_unmarshal_interface(h, &IID_IExample, &p), S_OK);
    proxy = p;
    cr_assert(loopback_is_proxy(proxy));
}

static void teardown(void)
{
    com_release_interface(proxy);
    IExample_Release(direct);
    loopback_reset();
}

TestSuite(idlc_roundtrip, .init = setup, .fini = teardown);

Test(idlc_roundtrip, in_out_inout_pointers)
{
    IExample *objs[2] = {direct, proxy};
    Point out[2];
    int32_t acc[2] = {10, 10};
    Point in = {3, -4};
    for (int i = 0; i < 2; i++)
        cr_assert_eq(IExample_Scale(objs[i], 5, &in, &out[i], &acc[i]), S_OK);
    cr_assert_eq(example_last_in == &in, false, "the stub must see a copy");
    cr_assert_eq(out[0].x, out[1].x);
    cr_assert_eq(out[0].y, out[1].y);
    cr_assert_eq(acc[0], acc[1]);
    cr_assert_eq(acc[1], 5);
    cr_assert_eq(loopback_calls(), 1);
}

Test(idlc_roundtrip, size_is_arrays)
{
    int32_t values[5] = {1, 2, 3, 4, 5};
    int64_t sums[2];
    cr_assert_eq(IExample_Sum(direct, 5, values, &sums[0]), S_OK);
    cr_assert_eq(IExample_Sum(proxy, 5, values, &sums[1]), S_OK);
    cr_assert_eq(sums[0], sums[1]);
    cr_assert_eq(sums[1], 15);
    int32_t filled[2][8];
    memset(filled, 0x55, sizeof(filled));
    cr_assert_eq(IExample_Fill(direct, 6, filled[0]), S_OK);
    cr_assert_eq(IExample_Fill(proxy, 6, filled[1]), S_OK);
    cr_assert_eq(memcmp(filled[0], filled[1], sizeof(filled[0])), 0);
    cr_assert_eq(filled[1][5], 25);
    cr_assert_eq(filled[1][6], 0x55555555, "only size_is elements come back");
}

Test(idlc_roundtrip, strings_and_unique)
{
    uint32_t len[2];
    enum Colour c = GREEN;
    cr_assert_eq(IExample_Length(direct, "hello", &len[0], &c), S_OK);
    cr_assert_eq(IExample_Length(proxy, "hello", &len[1], &c), S_OK);
    cr_assert_eq(len[0], len[1]);
    cr_assert_eq(len[1], 5005);
    cr_assert_eq(IExample_Length(proxy, "hey", &len[1], NULL), S_OK);
    cr_assert_eq(len[1], 3);
    cr_assert_eq(IExample_Length(proxy, "hey", NULL, NULL), E_POINTER);
}

Test(idlc_roundtrip, interface_in)
{
    ICounter *counter = counter_new(7);
    int32_t totals[2];
    cr_assert_eq(IExample_Bump(direct, counter, 3, &totals[0]), S_OK);
    cr_assert_eq(IExample_Bump(proxy, counter, 3, &totals[1]), S_OK);
    cr_assert_eq(totals[0], 10);
    cr_assert_eq(totals[1], 13, "both calls reach the same counter");
    // The stub handed the implementation a proxy, so Add went back through
    // the transport: Bump and Add.
    cr_assert_eq(loopback_calls(), 2);
    ICounter_Release(counter);
}

Test(idlc_roundtrip, interface_out)
{
    ICounter *c[2];
    int32_t totals[2];
    cr_assert_eq(IExample_NewCounter(direct, 40, &c[0]), S_OK);
    cr_assert_eq(IExample_NewCounter(proxy, 40, &c[1]), S_OK);
    cr_assert(loopback_is_proxy(c[1]));
    for (int i = 0; i < 2; i++)
        cr_assert_eq(ICounter_Add(c[i], 2, &totals[i]), S_OK);
    cr_assert_eq(totals[0], totals[1]);
    cr_assert_eq(totals[1], 42);
    ICounter_Release(c[0]);
    com_release_interface(c[1]);
}

Test(idlc_roundtrip, iid_is_out)
{
    void *p[2];
    cr_assert_eq(IExample_Lookup(direct, &IID_ICounter, &p[0]), S_OK);
    cr_assert_eq(IExample_Lookup(proxy, &IID_ICounter, &p[1]), S_OK);
    int32_t totals[2];
    for (int i = 0; i < 2; i++)
        cr_assert_eq(ICounter_Add((ICounter *)p[i], 1, &totals[i]), S_OK);
    cr_assert_eq(totals[0], totals[1]);
    ICounter_Release((ICounter *)p[0]);
    com_release_interface(p[1]);
    cr_assert_eq(IExample_Lookup(proxy, &IID_IExample, &p[1]), E_NOINTERFACE);
    cr_assert_null(p[1]);
}

Test(idlc_roundtrip, query_interface)
{
    void *p;
    cr_assert_eq(IExample_QueryInterface(proxy, &IID_IExample, &p), S_OK);
    cr_assert(loopback_is_proxy(p));
    int64_t sum;
    int32_t v[2] = {20, 22};
    cr_assert_eq(IExample_Sum((IExample *)p, 2, v, &sum), S_OK);
    cr_assert_eq(sum, 42);
    com_release_interface(p);
    cr_assert_eq(IExample_QueryInterface(proxy, &IID_ICounter, &p), E_NOINTERFACE);
}

Test(idlc_roundtrip, struct_with_embedded_pointers)
{
    int32_t values[3] = {1, 2, 3};
    Record rec = {"abc", 3, values};
    int64_t totals[2];
    cr_assert_eq(IExample_Total(direct, &rec, &totals[0]), S_OK);
    cr_assert_eq(IExample_Total(proxy, &rec, &totals[1]), S_OK);
    cr_assert_eq(totals[0], totals[1]);
    cr_assert_eq(totals[1], 3006);
}

Test(idlc_roundtrip, bad_method_index)
{
    struct IExample_Sum_args args = {0};
    cr_assert_eq(com_invoke(1, &IID_IExample, IExample_NMETHODS, &args), RPC_E_BADMETHOD);
    cr_assert_eq(IExample_Dispatch(direct, 999, &args), RPC_E_BADMETHOD);
}

Test(idlc_roundtrip, array_of_structs_fixes_every_element)
{
    int32_t v0[2] = {1, 2}, v1[3] = {10, 20, 30}, v2[1] = {100};
    Record recs[3] = {{"a", 2, v0}, {"bb", 3, v1}, {"ccc", 1, v2}};
    int64_t totals[2];
    cr_assert_eq(IExample_TotalAll(direct, 3, recs, &totals[0]), S_OK);
    cr_assert_eq(IExample_TotalAll(proxy, 3, recs, &totals[1]), S_OK);
    cr_assert_eq(totals[0], totals[1]);
    cr_assert_eq(totals[1], 6000 + 3 + 60 + 100);
    cr_assert_neq(example_last_in, v1, "element 1's pointer must be the callee's copy");
}

// ISequentialStream::Read: the callee writes its whole buffer but reports
// *pcbRead bytes; exactly those come back.
Test(idlc_roundtrip, length_is_deref_copies_exactly_that_many_bytes)
{
    unsigned char buf[16];
    ULONG got = 99;
    memset(buf, 0xAA, sizeof(buf));
    example_read_len = 5;
    cr_assert_eq(IExample_Read(proxy, buf, sizeof(buf), &got), S_OK);
    cr_assert_eq(got, 5);
    for (int i = 0; i < 16; i++)
        cr_assert_eq(buf[i], i < 5 ? 'r' : 0xAA, "byte %d", i);
}

Test(idlc_roundtrip, length_beyond_size_is_refused)
{
    unsigned char buf[8];
    ULONG got = 99;
    memset(buf, 0xAA, sizeof(buf));
    example_read_len = 9;
    cr_assert_eq(IExample_Read(proxy, buf, sizeof(buf), &got), RPC_E_INVALID_BOUND);
    cr_assert_eq(buf[0], 0xAA, "nothing comes back from a refused call");
    cr_assert_eq(got, 99);
    // The stub refuses it too, before any transport sees it.
    struct IExample_Read_args args = {buf, sizeof(buf), &got};
    cr_assert_eq(IExample_Dispatch(direct, IExample_M_Read, &args), RPC_E_INVALID_BOUND);
}

Test(idlc_roundtrip, size_is_arithmetic_and_deref)
{
    int32_t pairs[6] = {1, 2, 3, 4, 5, 6}, sums[2][4];
    memset(sums, 0x55, sizeof(sums));
    cr_assert_eq(IExample_Pairs(direct, 3, pairs, sums[0]), S_OK);
    cr_assert_eq(IExample_Pairs(proxy, 3, pairs, sums[1]), S_OK);
    cr_assert_eq(memcmp(sums[0], sums[1], sizeof(sums[0])), 0);
    cr_assert_eq(sums[1][1], 7);
    cr_assert_eq(sums[1][3], 21, "n + 1 elements come back");
    uint32_t n = 4;
    int32_t v[4] = {1, 2, 3, 4};
    int64_t sum;
    cr_assert_eq(IExample_Counted(proxy, &n, v, &sum), S_OK);
    cr_assert_eq(sum, 10, "size_is(*pn) elements travel");
}

// IEnumXxx::Next: celt slots, *pceltFetched interface pointers come back,
// the rest are NULL, and nothing leaks.
Test(idlc_roundtrip, out_array_of_interface_pointers)
{
    ICounter *rg[5];
    ULONG fetched = 0;
    int handles = loopback_live_handles();
    example_next_avail = 3;
    memset(rg, 0x5A, sizeof(rg));
    cr_assert_eq(IExample_Next(proxy, 5, rg, &fetched), S_FALSE);
    cr_assert_eq(fetched, 3);
    for (int i = 0; i < 3; i++) {
        int32_t t;
        cr_assert(loopback_is_proxy(rg[i]));
        cr_assert_eq(ICounter_Add(rg[i], 1, &t), S_OK);
        cr_assert_eq(t, i * 10 + 1);
    }
    cr_assert_null(rg[3]);
    cr_assert_null(rg[4]);
    cr_assert_eq(loopback_allocs(), 0, "proxy and stub free their arrays");
    for (int i = 0; i < 3; i++)
        com_release_interface(rg[i]);
    loopback_reset();
    cr_assert_eq(counter_live, 0, "every counter is released");
    cr_assert_geq(handles, 0);
}

Test(idlc_roundtrip, in_array_of_interface_pointers)
{
    ICounter *c[3] = {counter_new(1), counter_new(2), counter_new(3)};
    int32_t sums[2];
    cr_assert_eq(IExample_AddAll(direct, 3, c, 10, &sums[0]), S_OK);
    cr_assert_eq(IExample_AddAll(proxy, 3, c, 10, &sums[1]), S_OK);
    cr_assert_eq(sums[0], 36);
    cr_assert_eq(sums[1], 66, "the callee reached every element");
    cr_assert_eq(loopback_allocs(), 0);
    loopback_reset();
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(counter_refs(c[i]), 1, "no reference leaks");
        ICounter_Release(c[i]);
    }
}

Test(idlc_roundtrip, failed_marshal_releases_earlier_handles)
{
    ICounter *a = counter_new(1), *b = counter_new(2);
    int32_t total;
    int handles = loopback_live_handles();
    loopback_fail_marshal(2);
    cr_assert_eq(IExample_Both(proxy, a, b, NULL, &total), E_OUTOFMEMORY);
    cr_assert_eq(loopback_live_handles(), handles, "the first handle is released");
    cr_assert_eq(counter_refs(a), 1);
    cr_assert_eq(counter_refs(b), 1);
    cr_assert_eq(IExample_Both(proxy, a, b, NULL, &total), S_OK);
    cr_assert_eq(total, 3);
    loopback_reset();
    ICounter_Release(a);
    ICounter_Release(b);
}

Test(idlc_roundtrip, null_interface_pointer_is_e_pointer)
{
    ICounter *a = counter_new(1);
    int32_t total;
    example_both_calls = 0;
    int calls = loopback_calls();
    cr_assert_eq(IExample_Both(proxy, a, NULL, NULL, &total), E_POINTER);
    cr_assert_eq(loopback_calls(), calls, "the proxy refuses it without a call");
    cr_assert_eq(IExample_Both(proxy, a, a, NULL, &total), S_OK, "c is [unique]");
    cr_assert_eq(example_both_calls, 1);
    // A caller that bypasses the proxy meets the stub's check.
    struct IExample_Both_args args = {0};
    args.total = &total;
    cr_assert_eq(IExample_Dispatch(direct, IExample_M_Both, &args), E_POINTER);
    cr_assert_eq(example_both_calls, 1, "the implementation never sees NULL");
    loopback_reset();
    ICounter_Release(a);
}

Test(idlc_roundtrip, constants_keep_their_values)
{
    cr_assert_eq(EXAMPLE_MASK, 3u);
    cr_assert_eq(EXAMPLE_E_WRAP, (SCODE)0x80AA0004);
    cr_assert(FAILED(EXAMPLE_E_WRAP));
    cr_assert_eq(EXAMPLE_MIN, INT64_MIN);
}
