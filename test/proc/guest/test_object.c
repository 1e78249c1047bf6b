/* The test kernel's ITestObject (idl/ITestObject.idl): one static object
 * whose methods only take their arguments, handed to guest-side test
 * programs and benchmarks (test/proc/guest/apps.c). */
#include "test_object.h"

static SCODE t_query(ITestObject *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_ITestObject))
        return E_NOINTERFACE;
    *ppv = This;
    return S_OK;
}

static SCODE t_ref(ITestObject *This)
{
    (void)This;
    return S_OK;
}

static SCODE t_null(ITestObject *This)
{
    (void)This;
    return S_OK;
}

static SCODE t_peek(ITestObject *This, const BYTE *Buffer, uint32_t Size, uint32_t *pEnds)
{
    (void)This;
    *pEnds = Size ? (uint32_t)Buffer[0] + Buffer[Size - 1] : 0;
    return S_OK;
}

static SCODE t_fill(ITestObject *This, BYTE *Buffer, uint32_t Size, BYTE Value)
{
    (void)This;
    volatile BYTE *b = Buffer; /* byte by byte, as a careful callee would: a 32 MiB
                                * Fill lasts many timer ticks (test_threads) */
    for (uint32_t i = 0; i < Size; i++)
        b[i] = Value;
    return S_OK;
}

static const struct ITestObjectVtbl vtbl = {t_query, t_ref, t_ref, t_null, t_peek, t_fill};
static ITestObject object = {&vtbl};

IUnknown *test_object(void)
{
    return (IUnknown *)&object;
}
