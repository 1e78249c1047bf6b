/* The test kernel's ITestObject (idl/ITestObject.idl): one static object
 * whose methods only take their arguments, handed to guest-side test
 * programs and benchmarks (test/proc/guest/apps.c). */
#include "test_object.h"
#include <kernel/sched/sched.h>

static uint32_t nulls;

/* References held (AddRef and QueryInterface less Release): the object
 * is static and never freed, so only this count shows a leaked one
 * (test/proc/guest/alloc_fail.c compares it before and after a run). */
static uint32_t refs;

static SCODE t_addref(ITestObject *This)
{
    (void)This;
    __atomic_add_fetch(&refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static SCODE t_release(ITestObject *This)
{
    (void)This;
    __atomic_sub_fetch(&refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static SCODE t_query(ITestObject *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_ITestObject))
        return E_NOINTERFACE;
    *ppv = This;
    return t_addref(This);
}

static SCODE t_null(ITestObject *This)
{
    (void)This;
    nulls++;
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
    if (!Buffer)
        return E_POINTER;      /* what a transport says of a NULL [out] buffer */
    volatile BYTE *b = Buffer; /* byte by byte, as a careful callee would: a 32 MiB
                                * Fill lasts many timer ticks (test_threads) */
    for (uint32_t i = 0; i < Size; i++)
        b[i] = Value;
    return S_OK;
}

static ITestObject *mailbox;

static SCODE t_read(ITestObject *This, BYTE *Buffer, uint32_t Size, BYTE Value, uint32_t *pDone)
{
    t_fill(This, Buffer, Size, Value);
    *pDone = Size / 2;
    return S_OK;
}

static SCODE t_put(ITestObject *This, ITestObject *pObject)
{
    (void)This;
    ITestObject *old = mailbox;
    if (pObject)
        pObject->lpVtbl->AddRef(pObject);
    mailbox = pObject;
    if (old)
        old->lpVtbl->Release(old);
    return S_OK;
}

static SCODE t_get(ITestObject *This, ITestObject **ppObject)
{
    (void)This;
    *ppObject = mailbox;
    if (!mailbox)
        return S_FALSE;
    mailbox->lpVtbl->AddRef(mailbox);
    return S_OK;
}

static SCODE t_echo(ITestObject *This, ITestObject *pIn, ITestObject **ppOut)
{
    (void)This;
    pIn->lpVtbl->AddRef(pIn);
    *ppOut = pIn;
    return S_OK;
}

static SCODE t_echo_array(ITestObject *This, uint32_t Count, ITestObject **In, uint32_t Drop,
                          ITestObject **Out, uint32_t *pReturned)
{
    (void)This;
    if (Drop > Count)
        return E_INVALIDARG;
    *pReturned = Count - Drop;
    for (uint32_t i = 0; i < Count - Drop; i++) {
        Out[i] = In[Count - 1 - i];
        if (Out[i])
            Out[i]->lpVtbl->AddRef(Out[i]);
    }
    return S_OK;
}

static SCODE t_call_back(ITestObject *This, ITestObject *pObject, uint32_t Times)
{
    SCODE sc = S_OK;
    ITestObject *to = pObject;
    if (!to && t_get(This, &to) != S_OK)
        return E_POINTER;
    for (uint32_t i = 0; i < Times && SUCCEEDED(sc); i++)
        sc = to->lpVtbl->Null(to);
    if (!pObject)
        to->lpVtbl->Release(to);
    return sc;
}

static SCODE t_wait(ITestObject *This, uint32_t Ms)
{
    (void)This;
    thread_sleep_ticks(Ms / 10 + 1);
    return S_OK;
}

static SCODE t_crash(ITestObject *This)
{
    (void)This;
    return E_FAIL; /* the kernel does not crash on request */
}

static SCODE t_count(ITestObject *This, uint32_t *pCount)
{
    (void)This;
    *pCount = nulls;
    return S_OK;
}

static const struct ITestObjectVtbl vtbl = {
    t_query, t_addref, t_release,    t_null,      t_peek, t_fill,  t_read,  t_put,
    t_get,   t_echo,   t_echo_array, t_call_back, t_wait, t_crash, t_count,
};
static ITestObject object = {&vtbl};

IUnknown *test_object(void)
{
    return (IUnknown *)&object;
}

ITestObject *test_object_take_mail(void)
{
    ITestObject *m = mailbox;
    mailbox = 0;
    return m;
}

uint32_t test_object_refs(void)
{
    return __atomic_load_n(&refs, __ATOMIC_RELAXED);
}
