/* A user ITestObject (see object.h). Counts are atomic: server threads
 * call it at once. */
#include "object.h"
#include <rialto.h>
#include <stdlib.h>
#include <string.h>

struct object {
    ITestObject itf;
    uint32_t refs, nulls;
    ITestObject *mailbox;
};

static int live;

static struct object *of(ITestObject *This)
{
    return (struct object *)This;
}

static SCODE o_query(ITestObject *This, REFIID riid, void **ppv)
{
    *ppv = NULL;
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_ITestObject))
        return E_NOINTERFACE;
    __atomic_add_fetch(&of(This)->refs, 1, __ATOMIC_RELAXED);
    *ppv = This;
    return S_OK;
}

static SCODE o_addref(ITestObject *This)
{
    return (SCODE)__atomic_add_fetch(&of(This)->refs, 1, __ATOMIC_RELAXED);
}

static SCODE o_release(ITestObject *This)
{
    uint32_t n = __atomic_sub_fetch(&of(This)->refs, 1, __ATOMIC_ACQ_REL);
    if (n == 0) {
        if (of(This)->mailbox)
            ITestObject_Release(of(This)->mailbox);
        free(This);
        __atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
    }
    return (SCODE)n;
}

static SCODE o_null(ITestObject *This)
{
    __atomic_add_fetch(&of(This)->nulls, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static SCODE o_peek(ITestObject *This, const BYTE *Buffer, uint32_t Size, uint32_t *pEnds)
{
    (void)This;
    *pEnds = Size ? (uint32_t)Buffer[0] + Buffer[Size - 1] : 0;
    return S_OK;
}

static SCODE o_fill(ITestObject *This, BYTE *Buffer, uint32_t Size, BYTE Value)
{
    (void)This;
    if (!Buffer)
        return E_POINTER; /* what a transport says of a NULL [out] buffer */
    memset(Buffer, Value, Size);
    return S_OK;
}

static SCODE o_read(ITestObject *This, BYTE *Buffer, uint32_t Size, BYTE Value, uint32_t *pDone)
{
    o_fill(This, Buffer, Size, Value);
    *pDone = Size / 2;
    return S_OK;
}

static SCODE o_put(ITestObject *This, ITestObject *pObject)
{
    if (pObject)
        ITestObject_AddRef(pObject);
    ITestObject *old = __atomic_exchange_n(&of(This)->mailbox, pObject, __ATOMIC_ACQ_REL);
    if (old)
        ITestObject_Release(old);
    return S_OK;
}

static SCODE o_get(ITestObject *This, ITestObject **ppObject)
{
    *ppObject = of(This)->mailbox;
    if (!*ppObject)
        return S_FALSE;
    ITestObject_AddRef(*ppObject);
    return S_OK;
}

static SCODE o_echo(ITestObject *This, ITestObject *pIn, ITestObject **ppOut)
{
    (void)This;
    ITestObject_AddRef(pIn);
    *ppOut = pIn;
    return S_OK;
}

static SCODE o_echo_array(ITestObject *This, uint32_t Count, ITestObject **In, uint32_t Drop,
                          ITestObject **Out, uint32_t *pReturned)
{
    (void)This;
    if (Drop > Count)
        return E_INVALIDARG;
    *pReturned = Count - Drop;
    for (uint32_t i = 0; i < Count - Drop; i++) {
        Out[i] = In[Count - 1 - i];
        if (Out[i])
            ITestObject_AddRef(Out[i]);
    }
    return S_OK;
}

static SCODE o_call_back(ITestObject *This, ITestObject *pObject, uint32_t Times)
{
    SCODE sc = S_OK;
    ITestObject *to = pObject;
    if (!to && ITestObject_Get(This, &to) != S_OK)
        return E_POINTER;
    for (uint32_t i = 0; i < Times && SUCCEEDED(sc); i++)
        sc = ITestObject_Null(to);
    if (!pObject)
        ITestObject_Release(to);
    return sc;
}

static SCODE o_wait(ITestObject *This, uint32_t Ms)
{
    (void)This;
    if (Ms != 0xFFFFFFFFu)
        return IProcess_Sleep(CurrentProcess(), Ms);
    for (;;)
        IProcess_Sleep(CurrentProcess(), 1000);
}

static SCODE o_crash(ITestObject *This)
{
    (void)This;
    *(volatile int *)0 = 1;
    return E_UNEXPECTED;
}

static SCODE o_count(ITestObject *This, uint32_t *pCount)
{
    *pCount = of(This)->nulls;
    return S_OK;
}

static const struct ITestObjectVtbl vtbl = {
    o_query, o_addref, o_release,    o_null,      o_peek, o_fill,  o_read,  o_put,
    o_get,   o_echo,   o_echo_array, o_call_back, o_wait, o_crash, o_count,
};

ITestObject *object_new(void)
{
    struct object *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->itf.lpVtbl = &vtbl;
    o->refs = 1;
    __atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
    return &o->itf;
}

int object_live(void)
{
    return live;
}
