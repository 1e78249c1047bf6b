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
