/* test_fuzz serve: the other process whose object the fuzzer calls. It
 * puts an ITestObject of its own in the start handle's mailbox (the
 * kernel's test object), registers a read-only view of four pages of its
 * own holding a pattern as "fz-mem" (map.c maps it), and serves until it
 * is ended. Its object takes whatever arrives and checks what the kernel
 * promises a server (docs/ARCHITECTURE.md, "A call into a process"): out
 * buffers arrive zeroed, nothing of the caller's or the kernel's in
 * them. A violation prints "fuzz: WRONG server ..." and exits with
 * FZ_EXIT_WRONG, which the driver sees as the server's end. */
#include "fuzz.h"
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>

#define PATTERN 0xf22a0000u /* map.c's */
#define PAGES   4

static ITestObject *mailbox; /* what Put left here, with a reference */
static uint32_t nulls;

static void zeroed(const void *p, uint32_t n, const char *what)
{
    for (uint32_t i = 0; p && i < n; i++)
        if (((const BYTE *)p)[i]) {
            printf("fuzz: WRONG server %s: byte %u of %u arrived as %#x, expected 0\n", what,
                   (unsigned)i, (unsigned)n, ((const BYTE *)p)[i]);
            exit(FZ_EXIT_WRONG);
        }
}

static SCODE s_query(ITestObject *This, REFIID riid, void **ppv)
{
    *ppv = com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_ITestObject) ? This : 0;
    return *ppv ? S_OK : E_NOINTERFACE;
}

static SCODE s_ref(ITestObject *This) /* static: never freed */
{
    (void)This;
    return 1;
}

static SCODE s_null(ITestObject *This)
{
    (void)This;
    __atomic_add_fetch(&nulls, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static SCODE s_peek(ITestObject *This, const BYTE *Buffer, uint32_t Size, uint32_t *pEnds)
{
    (void)This;
    *pEnds = Size && Buffer ? (uint32_t)Buffer[0] + Buffer[Size - 1] : 0;
    return S_OK;
}

static SCODE s_fill(ITestObject *This, BYTE *Buffer, uint32_t Size, BYTE Value)
{
    (void)This;
    zeroed(Buffer, Size, "Fill's out buffer");
    for (uint32_t i = 0; Buffer && i < Size; i++)
        Buffer[i] = Value;
    return Buffer ? S_OK : E_POINTER;
}

static SCODE s_read(ITestObject *This, BYTE *Buffer, uint32_t Size, BYTE Value, uint32_t *pDone)
{
    *pDone = Size / 2;
    return s_fill(This, Buffer, Size, Value);
}

static SCODE s_put(ITestObject *This, ITestObject *pObject)
{
    (void)This;
    if (pObject)
        ITestObject_AddRef(pObject);
    ITestObject *old = __atomic_exchange_n(&mailbox, pObject, __ATOMIC_ACQ_REL);
    if (old)
        ITestObject_Release(old);
    return S_OK;
}

static SCODE s_get(ITestObject *This, ITestObject **ppObject)
{
    (void)This;
    *ppObject = 0; /* the mailbox may change under another server thread: keep none */
    return S_FALSE;
}

static SCODE s_echo(ITestObject *This, ITestObject *pIn, ITestObject **ppOut)
{
    (void)This;
    zeroed(ppOut, sizeof *ppOut, "Echo's out pointer");
    if (pIn)
        ITestObject_AddRef(pIn);
    *ppOut = pIn;
    return S_OK;
}

static SCODE s_echo_array(ITestObject *This, uint32_t Count, ITestObject **In, uint32_t Drop,
                          ITestObject **Out, uint32_t *pReturned)
{
    (void)This;
    zeroed(Out, Count * sizeof *Out, "EchoArray's out array");
    *pReturned = 0;
    if (Drop > Count || (Count && (!In || !Out)))
        return E_INVALIDARG;
    for (uint32_t i = 0; i < Count - Drop; i++)
        if ((Out[i] = In[Count - 1 - i]))
            ITestObject_AddRef(Out[i]);
    *pReturned = Count - Drop;
    return S_OK;
}

static SCODE s_call_back(ITestObject *This, ITestObject *pObject, uint32_t Times)
{
    (void)This;
    SCODE sc = S_OK;
    for (uint32_t i = 0; pObject && i < Times % 8 && SUCCEEDED(sc); i++)
        sc = ITestObject_Null(pObject);
    return sc;
}

static SCODE s_wait(ITestObject *This, uint32_t Ms)
{
    (void)This, (void)Ms;
    return S_OK;
}

static SCODE s_crash(ITestObject *This)
{
    (void)This;
    return E_FAIL;
}

static SCODE s_count(ITestObject *This, uint32_t *pCount)
{
    (void)This;
    *pCount = nulls;
    return S_OK;
}

static const struct ITestObjectVtbl vtbl = {
    s_query, s_ref,  s_ref,        s_null,      s_peek, s_fill,  s_read,  s_put,
    s_get,   s_echo, s_echo_array, s_call_back, s_wait, s_crash, s_count,
};
static ITestObject object = {&vtbl};

/* Four pages of the pattern, registered as a read-only view. */
static int share_pages(void)
{
    ADDRESS a = 0;
    IMemoryObject *me = 0, *view = 0;
    if (IAddressSpace_Allocate(CurrentAddressSpace(), &a, PAGES * 4096,
                               AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE) != S_OK)
        return 1;
    for (uint32_t i = 0; i < PAGES * 1024; i++)
        ((uint32_t *)a)[i] = PATTERN + i;
    if (IProcess_QueryInterface(CurrentProcess(), &IID_IMemoryObject, (void **)&me) != S_OK ||
        IMemoryObject_RestrictedAccess(me, a, PAGES * 4096, AS_PROT_READ, &view) != S_OK ||
        INameService_Register(NameService(), "fz-mem", (IUnknown *)view) != S_OK)
        return 1;
    return 0;
}

int fz_serve(void)
{
    ITestObject *box = 0;
    if (share_pages() ||
        com_unmarshal_interface(StartHandle(), &IID_ITestObject, (void **)&box) != S_OK ||
        ITestObject_Put(box, &object) != S_OK) {
        printf("test_fuzz serve: cannot start\n");
        return 4;
    }
    for (;;)
        IProcess_Sleep(CurrentProcess(), 1000);
}
