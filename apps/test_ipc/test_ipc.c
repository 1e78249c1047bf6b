/* test_ipc: calls into another process (kernel/ipc). The kernel's test
 * object (the Extra handle) is a mailbox between the processes of a test.
 *   serve [MAX IDLE QUEUE]  exports an ITestObject (object.c) through the
 *             mailbox, with that pool (ServerPool), after calling it
 *             locally; then waits to be ended
 *   serve-rogue  a server whose answers break every rule (ServeWith)
 *   rogue-call   what the kernel makes of such answers: errors, and only
 *             the out data its own layout allows
 *   serve-once  exports its object and ends once nobody else holds it
 *   hold      gets the server's object and ends without releasing it
 *   disconnected  a call to an ended server's object fails, arrays empty
 *   foreign   Map refuses a memory object this process implements
 *   call      gets the server's object from the mailbox and runs the same
 *             sequence through the proxy: the results must be the same
 *   iface     interface pointers in and out of calls into the server: its
 *             own object comes home as itself (also while the server keeps
 *             it), arrays both ways with length_is, QueryInterface across,
 *             a server calling its caller back, and every export given
 *             back once released
 *   forge     handles and cookies that are not the caller's get errors
 *   wait MS   one Wait(MS) call; the exit status is its result
 *   crash     the server faults in the call; the exit status is the result
 *   pool N MS N threads call Wait(MS) at once; the exit status is the
 *             number of calls that failed
 *   timeout   with the one server thread busy, a second call times out
 *   bench-null N, bench-in N, bench-out N, bench-loop N   the calls the
 *             cross-process benchmarks time (test/ipc/guest/bench.c) */
#include "object.h"
#include <rialto.h>
#include <stdlib.h>
#include <string.h>
#include <utest.h>

#define BIG 4096

/* The kernel's test object, with a reference for the caller (the start
 * handle becomes one proxy, kept for the process's life). */
static ITestObject *mailbox(void)
{
    static void *box;
    if (!box)
        com_unmarshal_interface(StartHandle(), &IID_ITestObject, &box);
    if (box)
        ITestObject_AddRef((ITestObject *)box);
    return box;
}

/* The object this process serves, if any: called in place. */
static ITestObject *local;

/* The same calls on whatever t is; the same results wherever it lives. */
static void sequence(ITestObject *t)
{
    static BYTE buf[BIG] __attribute__((aligned(8)));
    uint32_t ends = 1;
    CHECK_EQ(ITestObject_Null(t), S_OK);
    buf[0] = 3;
    buf[BIG - 1] = 4;
    CHECK_EQ(ITestObject_Peek(t, buf, BIG, &ends), S_OK);
    CHECK_EQ(ends, 7);
    CHECK_EQ(ITestObject_Peek(t, buf, 0, &ends), S_OK);
    CHECK_EQ(ends, 0);
    memset(buf, 0, sizeof buf);
    CHECK_EQ(ITestObject_Fill(t, buf, 100, 0x5a), S_OK);
    CHECK(buf[0] == 0x5a && buf[99] == 0x5a && buf[100] == 0, "Fill wrote exactly 100 bytes");
    CHECK_EQ(ITestObject_Fill(t, NULL, 0, 1), E_POINTER);
    uint32_t done = 0;
    memset(buf, 0, sizeof buf);
    CHECK_EQ(ITestObject_Read(t, buf, 64, 0x77, &done), S_OK);
    CHECK_EQ(done, 32);
    CHECK(buf[31] == 0x77, "the half length_is counts arrived");
    CHECK(buf[32] == 0 || t == local, "the rest stayed where it was (a plain call writes it all)");
}

static int serve(int argc, char **argv)
{
    if (argc >= 5)
        CHECK_EQ(ServerPool(strtoul(argv[2], 0, 0), strtoul(argv[3], 0, 0), strtoul(argv[4], 0, 0)),
                 S_OK);
    ITestObject *box = mailbox(), *o = object_new();
    local = o;
    sequence(o); /* the pointer is the object: a plain call */
    CHECK_EQ(ITestObject_Put(box, o), S_OK);
    ITestObject_Release(o);
    ITestObject_Release(box);
    if (utest_failures)
        return utest_failures;
    for (;;)
        IProcess_Sleep(CurrentProcess(), 1000);
}

/* serve-once: export the object, then end (status 0) once every other
 * space has let it go: the kernel's disconnect notice gives the token
 * back and the runtime drops its last reference. */
static int serve_once(void)
{
    ITestObject *box = mailbox(), *o = object_new();
    CHECK_EQ(ITestObject_Put(box, o), S_OK);
    ITestObject_Release(o);
    ITestObject_Release(box);
    while (ExportedObjects() || object_live())
        IProcess_Sleep(CurrentProcess(), 10);
    return utest_failures;
}

/* serve-rogue: a server that answers with what the runtime's stubs would
 * never write: handles it does not have, a cookie with the token bit, a
 * length past the buffer, pointers scribbled over in its block. */
static SCODE rogue(uint32_t cookie, uint32_t method, void *block)
{
    (void)cookie;
    if (method == ITestObject_M_Get) {
        *((struct ITestObject_Get_args *)block)->ppObject = 0x7ffffc01u;
    } else if (method == ITestObject_M_Echo) {
        *((struct ITestObject_Echo_args *)block)->ppOut = IPC_COOKIE_BIT | IPC_COOKIE_TOKEN | 1;
    } else if (method == ITestObject_M_Read) {
        struct ITestObject_Read_args *a = block;
        memset(a->Buffer, 0x66, a->Size);
        *a->pDone = a->Size * 4;
    } else if (method == ITestObject_M_Fill) {
        struct ITestObject_Fill_args *a = block;
        memset(a->Buffer, a->Value, a->Size);
        a->Buffer = (BYTE *)0x1000; /* the kernel copies back by its own layout */
        a->Size = 0x100000;
    } else if (method != IPC_M_DISCONNECT) {
        return E_NOTIMPL;
    }
    return S_OK;
}

static int serve_rogue(void)
{
    ITestObject *box = mailbox(), *o = object_new();
    ServeWith(rogue);
    CHECK_EQ(ITestObject_Put(box, o), S_OK);
    ITestObject_Release(o);
    ITestObject_Release(box);
    for (;;)
        IProcess_Sleep(CurrentProcess(), 1000);
}

static ITestObject *server(void)
{
    ITestObject *box = mailbox(), *r = NULL;
    CHECK_EQ(ITestObject_Get(box, &r), S_OK);
    ITestObject_Release(box);
    return r;
}

/* Exports go away asynchronously (the kernel's disconnect notice): wait
 * a little for the count to come down. */
static void check_exports_back(unsigned want)
{
    for (int i = 0; i < 100 && ExportedObjects() != want; i++)
        IProcess_Sleep(CurrentProcess(), 10);
    CHECK_EQ(ExportedObjects(), want);
}

static void identity(ITestObject *r, ITestObject *mine)
{
    ITestObject *back = NULL;
    CHECK_EQ(ITestObject_Echo(r, mine, &back), S_OK);
    CHECK(back == mine, "my object came home as itself (%p, %p)", (void *)back, (void *)mine);
    if (back)
        ITestObject_Release(back);
    CHECK_EQ(ITestObject_Echo(r, r, &back), S_OK);
    CHECK(back && back != r, "the server's own object comes back as a proxy");
    uint32_t ends = 0;
    static BYTE two[2] = {20, 22};
    CHECK_EQ(back ? ITestObject_Peek(back, two, 2, &ends) : E_POINTER, S_OK);
    CHECK_EQ(ends, 42);
    if (back)
        ITestObject_Release(back);
}

static void arrays(ITestObject *r, ITestObject *mine)
{
    ITestObject *in[3] = {mine, r, mine}, *out[3] = {0, 0, 0};
    uint32_t n = 9;
    CHECK_EQ(ITestObject_EchoArray(r, 3, in, 1, out, &n), S_OK);
    CHECK_EQ(n, 2);
    CHECK(out[0] == mine, "out[0] is mine, at home");
    CHECK(out[1] && out[1] != mine, "out[1] is the server's, a proxy");
    CHECK(out[2] == NULL, "past length_is nothing comes back");
    for (int i = 0; i < 3; i++)
        if (out[i])
            ITestObject_Release(out[i]);
}

/* The server keeps my object (its mailbox) while it also comes home: the
 * kernel must keep a token for the object the server still holds. */
static void kept_by_the_server(ITestObject *r, ITestObject *mine)
{
    ITestObject *back = NULL;
    uint32_t count = 0;
    CHECK_EQ(ITestObject_Put(r, mine), S_OK);
    CHECK_EQ(ITestObject_Echo(r, mine, &back), S_OK);
    CHECK(back == mine, "home as itself");
    if (back)
        ITestObject_Release(back);
    back = NULL;
    CHECK_EQ(ITestObject_Get(r, &back), S_OK);
    CHECK(back == mine, "out of the server's mailbox, home as itself");
    if (back)
        ITestObject_Release(back);
    CHECK_EQ(ITestObject_CallBack(r, NULL, 2), S_OK);
    CHECK_EQ(ITestObject_Count(mine, &count), S_OK);
    CHECK_EQ(count, 2);
    CHECK_EQ(ITestObject_Put(r, NULL), S_OK);
}

/* QueryInterface through the kernel (iid_is): the object's own interface
 * and IUnknown are the same object; another is asked of the server. */
static void query(ITestObject *r)
{
    IUnknown *u = NULL;
    ITestObject *t = NULL;
    void *p = (void *)1;
    CHECK_EQ(ITestObject_QueryInterface(r, &IID_IUnknown, (void **)&u), S_OK);
    CHECK_EQ(u ? IUnknown_QueryInterface(u, &IID_ITestObject, (void **)&t) : E_POINTER, S_OK);
    uint32_t ends = 0;
    static BYTE two[2] = {1, 2};
    CHECK_EQ(t ? ITestObject_Peek(t, two, 2, &ends) : E_POINTER, S_OK);
    CHECK_EQ(ends, 3);
    CHECK_EQ(ITestObject_QueryInterface(r, &IID_IProcess, &p), E_NOINTERFACE);
    CHECK(p == NULL, "nothing for a refused interface");
    if (u)
        IUnknown_Release(u);
    if (t)
        ITestObject_Release(t);
}

/* The same through the kernel's own object: a process's objects into the
 * kernel and back, alone and in an array. */
static void through_the_kernel(ITestObject *r, ITestObject *mine)
{
    ITestObject *box = mailbox(), *back = NULL, *in[2] = {mine, r}, *out[2] = {0, 0};
    uint32_t n = 0;
    CHECK_EQ(ITestObject_Echo(box, mine, &back), S_OK);
    CHECK(back == mine, "home from the kernel as itself");
    CHECK_EQ(ITestObject_EchoArray(box, 2, in, 1, out, &n), S_OK);
    CHECK_EQ(n, 1);
    CHECK(out[0] && out[0] != mine, "the server's object, a proxy again");
    CHECK(out[1] == NULL, "past length_is nothing");
    uint32_t ends = 0;
    static BYTE two[2] = {5, 6};
    CHECK_EQ(out[0] ? ITestObject_Peek(out[0], two, 2, &ends) : E_POINTER, S_OK);
    CHECK_EQ(ends, 11);
    if (back)
        ITestObject_Release(back);
    if (out[0])
        ITestObject_Release(out[0]);
    ITestObject_Release(box);
}

static int iface(void)
{
    ITestObject *r = server(), *mine = object_new();
    if (!r || !mine)
        return 1;
    identity(r, mine);
    arrays(r, mine);
    through_the_kernel(r, mine);
    query(r);
    uint32_t count = 0;
    CHECK_EQ(ITestObject_CallBack(r, mine, 3), S_OK);
    CHECK_EQ(ITestObject_Count(mine, &count), S_OK);
    CHECK_EQ(count, 3);
    ITestObject_Release(mine);
    mine = object_new();
    kept_by_the_server(r, mine);
    ITestObject_Release(r);
    check_exports_back(0);
    ITestObject_Release(mine);
    CHECK_EQ(object_live(), 0);
    return utest_failures;
}

/* More interface pointers in one array than a kernel call takes, to the
 * kernel's object and to a server's: refused, not a kernel panic. */
static void too_many(com_handle_t h)
{
    enum { N = 10000 };
    com_handle_t *in = calloc(N, sizeof *in), *out = calloc(N, sizeof *out);
    uint32_t n = 0;
    struct ITestObject_EchoArray_args a = {N, in, 0, out, &n};
    CHECK(in && out, "memory for the arrays");
    CHECK_EQ(com_invoke(h, &IID_ITestObject, ITestObject_M_EchoArray, &a), RPC_E_INVALID_BOUND);
    a.Count = 257;
    CHECK_EQ(com_invoke(h, &IID_ITestObject, ITestObject_M_EchoArray, &a), RPC_E_INVALID_BOUND);
    free(in);
    free(out);
}

/* The serve trap (handle 0) from a thread no pool started, or with bad
 * arguments: errors, never a call. */
static void serve_trap(void)
{
    static uint8_t buf[64] __attribute__((aligned(8)));
    SERVE_REQUEST req;
    struct IProcess_Serve_args a = {S_OK, buf, sizeof buf, &req};
    CHECK_EQ(com_invoke(0, &IID_IProcess, IProcess_M_Serve, &a), E_UNEXPECTED);
    CHECK_EQ(com_invoke(0, &IID_IProcess, IProcess_M_GetId, &a), E_HANDLE);
    CHECK_EQ(com_invoke(0, &IID_IProcess, IProcess_M_Serve, (void *)0xC0000000u), E_POINTER);
    a.Buffer = (BYTE *)0xBFFFF000u;
    CHECK_EQ(com_invoke(0, &IID_IProcess, IProcess_M_Serve, &a), E_POINTER);
    a.Buffer = buf + 1;
    CHECK_EQ(com_invoke(0, &IID_IProcess, IProcess_M_Serve, &a), E_INVALIDARG);
    a.Buffer = buf;
    a.pRequest = (SERVE_REQUEST *)0x10;
    CHECK_EQ(com_invoke(0, &IID_IProcess, IProcess_M_Serve, &a), E_POINTER);
    CHECK_EQ(IProcess_Serve(CurrentProcess(), S_OK, buf, sizeof buf, &req), E_UNEXPECTED);
}

/* What a hostile process would send: raw blocks with handles that are not
 * in its table and cookies it never exported (it is no server, so it has
 * none; a cookie only ever names its sender's own objects). */
static int forge(void)
{
    ITestObject *r = server();
    com_handle_t h = r ? ((struct com_proxy *)(void *)r)->handle : 0;
    static const com_handle_t forged[] = {0x80000000u, 0x80000005u, 0xC0000001u, 0x7fffffffu, 3};
    for (unsigned i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        com_handle_t back = 0;
        struct ITestObject_Echo_args a = {forged[i], &back};
        SCODE sc = com_invoke(h, &IID_ITestObject, ITestObject_M_Echo, &a);
        CHECK(FAILED(sc), "forged %#x refused, not %#lx", forged[i], (unsigned long)sc);
        CHECK(back == 0, "and nothing came back");
    }
    serve_trap();
    ITestObject *box = mailbox();
    too_many(h);
    too_many(box ? ((struct com_proxy *)(void *)box)->handle : 0);
    if (box)
        ITestObject_Release(box);
    if (r)
        ITestObject_Release(r);
    return utest_failures;
}

struct waiter {
    ITestObject *r;
    uint32_t ms;
};

static int wait_once(void *arg)
{
    struct waiter *w = arg;
    return ITestObject_Wait(w->r, w->ms) == S_OK ? 0 : 1;
}

static int pool(unsigned n, uint32_t ms)
{
    static IThread *threads[16];
    struct waiter w = {server(), ms};
    int failed = 0;
    for (unsigned i = 0; i < n && i < 16; i++)
        threads[i] = CreateThread(wait_once, &w);
    for (unsigned i = 0; i < n && i < 16; i++) {
        int32_t code = 1;
        if (threads[i]) {
            IThread_Join(threads[i], 0xffffffffu, &code);
            IThread_Release(threads[i]);
        }
        failed += code != 0;
    }
    ITestObject_Release(w.r);
    return failed;
}

static int timeout(void)
{
    struct waiter w = {server(), 500};
    IThread *busy = CreateThread(wait_once, &w);
    IProcess_Sleep(CurrentProcess(), 50);
    CHECK_EQ(ITestObject_Null(w.r), IPC_E_TIMEOUT);
    int32_t code = 1;
    IThread_Join(busy, 0xffffffffu, &code);
    CHECK_EQ(code, 0);
    IThread_Release(busy);
    CHECK_EQ(ITestObject_Null(w.r), S_OK);
    ITestObject_Release(w.r);
    return utest_failures;
}

/* A memory object this process implements: the kernel cannot map what it
 * does not own (paper 2.2, "foreign"), whatever the object says. */
static SCODE m_query(IMemoryObject *This, REFIID riid, void **ppv)
{
    *ppv = This;
    return com_iid_equal(riid, &IID_IMemoryObject) || com_iid_equal(riid, &IID_IUnknown)
               ? S_OK
               : E_NOINTERFACE;
}

static SCODE m_ref(IMemoryObject *This)
{
    (void)This;
    return S_OK;
}

static SCODE m_restricted(IMemoryObject *This, ADDR_SIZE Offset, ADDR_SIZE Size, ADDR_FLAGS Prot,
                          IMemoryObject **pMemObj)
{
    (void)Offset, (void)Size, (void)Prot;
    *pMemObj = This;
    return S_OK;
}

static int foreign(void)
{
    static const struct IMemoryObjectVtbl vtbl = {m_query, m_ref, m_ref, m_restricted};
    static IMemoryObject mine = {&vtbl};
    ADDRESS at = 0;
    CHECK_EQ(
        IAddressSpace_Map(CurrentAddressSpace(), &at, 4096, AS_PROT_READ | AS_ANYWHERE, &mine, 0),
        VM_E_FOREIGN_OBJECT);
    check_exports_back(0);
    return utest_failures;
}

static int rogue_call(void)
{
    ITestObject *r = server(), *got = (ITestObject *)1, *mine = object_new();
    static BYTE buf[256];
    uint32_t done = 5;
    CHECK(FAILED(ITestObject_Get(r, &got)), "a handle the server does not have is refused");
    CHECK(got == NULL, "and nothing comes back");
    CHECK(FAILED(ITestObject_Echo(r, mine, &got)), "a cookie with the token bit is refused");
    CHECK(got == NULL, "and nothing comes back");
    CHECK_EQ(ITestObject_Read(r, buf, 64, 0, &done), RPC_E_INVALID_BOUND);
    CHECK(buf[64] == 0, "nothing past the buffer");
    CHECK_EQ(ITestObject_Fill(r, buf, 16, 0x21), S_OK);
    CHECK(buf[15] == 0x21 && buf[16] == 0, "the out buffer, exactly, came back");
    ITestObject_Release(mine); /* the rogue keeps its handle to it: its business */
    ITestObject_Release(r);
    return utest_failures;
}

/* The server has ended: a call with interface arrays both ways fails
 * at once and gives nothing back. */
static int disconnected(void)
{
    ITestObject *r = server(), *in[4] = {0, 0, 0, 0}, *out[4] = {0, 0, 0, 0};
    uint32_t n = 7;
    CHECK_EQ(r ? ITestObject_EchoArray(r, 4, in, 0, out, &n) : E_POINTER, IPC_E_DISCONNECTED);
    CHECK(!out[0] && !out[1] && !out[2] && !out[3], "nothing came back");
    if (r)
        ITestObject_Release(r);
    return utest_failures;
}

static int one_call(const char *mode, uint32_t ms)
{
    ITestObject *r = server();
    SCODE sc = !strcmp(mode, "crash") ? ITestObject_Crash(r) : ITestObject_Wait(r, ms);
    ITestObject_Release(r);
    return sc;
}

static int bench(const char *mode, unsigned long n)
{
    static BYTE buf[BIG] __attribute__((aligned(8)));
    uint32_t ends;
    ITestObject *r = server();
    for (unsigned long i = 0; i < n; i++) {
        if (!strcmp(mode, "bench-null"))
            ITestObject_Null(r);
        else if (!strcmp(mode, "bench-in"))
            ITestObject_Peek(r, buf, BIG, &ends);
        else if (!strcmp(mode, "bench-out"))
            ITestObject_Fill(r, buf, BIG, 1);
    }
    ITestObject_Release(r);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "serve"))
        return serve(argc, argv);
    if (!strcmp(mode, "call")) {
        ITestObject *r = server();
        if (r) {
            sequence(r);
            ITestObject_Release(r);
        }
        return utest_failures;
    }
    if (!strcmp(mode, "serve-rogue"))
        return serve_rogue();
    if (!strcmp(mode, "rogue-call"))
        return rogue_call();
    if (!strcmp(mode, "serve-once"))
        return serve_once();
    if (!strcmp(mode, "hold")) {
        ITestObject *r = server();
        return r ? 0 : 1; /* ends holding r: the kernel lets go for it */
    }
    if (!strcmp(mode, "disconnected"))
        return disconnected();
    if (!strcmp(mode, "foreign"))
        return foreign();
    if (!strcmp(mode, "iface"))
        return iface();
    if (!strcmp(mode, "forge"))
        return forge();
    if (!strcmp(mode, "wait") || !strcmp(mode, "crash"))
        return one_call(mode, argc > 2 ? strtoul(argv[2], 0, 0) : 0);
    if (!strcmp(mode, "pool"))
        return pool(strtoul(argv[2], 0, 0), strtoul(argv[3], 0, 0));
    if (!strcmp(mode, "timeout"))
        return timeout();
    if (!strncmp(mode, "bench-", 6))
        return bench(mode, argc > 2 ? strtoul(argv[2], 0, 0) : 0);
    printf("test_ipc: no mode %s\n", mode);
    return 99;
}
