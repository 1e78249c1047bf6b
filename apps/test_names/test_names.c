/* test_names: the name service (INameService) from a process; the guest
 * tests that run it (test/proc/guest/names.c) check the kernel's side.
 *   self       register its own IProcess, look it up, refuse duplicates,
 *              unknown and malformed names, bad name pointers and a wrong
 *              IID; list the names; look up the kernel's "test.kernel"
 *              (an ITestObject) and call it; fill the table; exit with
 *              every name still registered (the kernel checks they went)
 *   serve      register a read-only view of its first pages as "test.view",
 *              an IConsole of its own as "test.local" and its own
 *              IProcess as "test.server", and wait in IConsole::ReadLine
 *              until it is terminated
 *   client ID  look up "test.server", which must be process ID,
 *              "test.view", which narrows but never widens, and
 *              "test.local", whose calls the server runs; refused to
 *              take or drop the server's names */
#include <ITestObject.h>
#include <rialto.h>
#include <stdlib.h>
#include <string.h>
#include <utest.h>

#define PG 4096u

static INameService *ns;

static uint32_t id_of(IProcess *p)
{
    uint32_t id = 0;
    CHECK_EQ(IProcess_GetId(p, &id), S_OK);
    return id;
}

/* A look-up of name as interface riid, and the pointer it gave. */
static SCODE lookup(const char *name, REFIID riid, void **out)
{
    *out = &out; /* anything but NULL: the proxy must clear it */
    return INameService_Lookup(ns, name, riid, out);
}

static void register_and_find_itself(void)
{
    CHECK_EQ(INameService_Register(ns, "test.self", (IUnknown *)CurrentProcess()), S_OK);
    IProcess *p;
    CHECK_EQ(lookup("test.self", &IID_IProcess, (void **)&p), S_OK);
    if (p) {
        CHECK_EQ(id_of(p), id_of(CurrentProcess()));
        IProcess_Release(p);
    }
    IUnknown *u;
    CHECK_EQ(lookup("test.self", &IID_IUnknown, (void **)&u), S_OK);
    if (u)
        IUnknown_Release(u);
    IThread *t;
    CHECK_EQ(lookup("test.self", &IID_IThread, (void **)&t), E_NOINTERFACE);
    CHECK(t == NULL, "no pointer with an error");
    CHECK_EQ(INameService_Register(ns, "test.self", (IUnknown *)CurrentAddressSpace()),
             NAME_E_EXISTS);
    CHECK_EQ(INameService_Register(ns, "test.null", NULL), E_POINTER);
}

static void unknown_and_malformed_names(void)
{
    void *o;
    CHECK_EQ(lookup("test.nothing", &IID_IUnknown, &o), NAME_E_NOT_FOUND);
    CHECK(o == NULL, "no pointer when not found");
    CHECK_EQ(INameService_Unregister(ns, "test.nothing"), NAME_E_NOT_FOUND);
    IUnknown *me = (IUnknown *)CurrentProcess();
    const char *bad[] = {"", "a b", "x:y", "0123456789abcdef0123456789abcdefX"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(INameService_Register(ns, bad[i], me), NAME_E_BAD_NAME);
        CHECK_EQ(lookup(bad[i], &IID_IUnknown, &o), NAME_E_BAD_NAME);
        CHECK_EQ(INameService_Unregister(ns, bad[i]), NAME_E_BAD_NAME);
    }
    CHECK_EQ(INameService_Register(ns, "0123456789abcdef0123456789abcdef", me), S_OK);
    CHECK_EQ(INameService_Unregister(ns, "0123456789abcdef0123456789abcdef"), S_OK);
}

/* Name pointers the kernel call refuses before the service sees them. */
static void bad_name_pointers(void)
{
    IUnknown *me = (IUnknown *)CurrentProcess();
    const char *bad[] = {NULL, (const char *)0x80000000, (const char *)0xc0000000,
                         (const char *)0xfffffff0};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        void *o;
        CHECK_EQ(INameService_Register(ns, bad[i], me), E_POINTER);
        CHECK_EQ(lookup(bad[i], &IID_IUnknown, &o), E_POINTER);
        CHECK_EQ(INameService_Unregister(ns, bad[i]), E_POINTER);
    }
    char *huge = malloc(8192); /* no terminator within the kernel's 4 KiB */
    if (huge) {
        memset(huge, 'a', 8192);
        CHECK_EQ(INameService_Register(ns, huge, me), RPC_E_INVALID_BOUND);
        free(huge);
    }
}

/* Whether Enumerate lists name. */
static int listed(const char *name)
{
    char buf[NAME_MAX_LENGTH];
    uint32_t n;
    for (uint32_t i = 0; INameService_Enumerate(ns, i, buf, sizeof buf, &n) == S_OK; i++)
        if (n == strlen(name) && !memcmp(buf, name, n))
            return 1;
    return 0;
}

static void enumerate(void)
{
    CHECK(listed("test.self"), "test.self listed");
    CHECK(listed("test.kernel"), "test.kernel listed");
    CHECK(!listed("test.nothing"), "not listed");
    char buf[4] = "....";
    uint32_t n = 99;
    CHECK_EQ(INameService_Enumerate(ns, 1000, buf, sizeof buf, &n), S_FALSE);
    CHECK_EQ(n, 0);
    CHECK_EQ(INameService_Enumerate(ns, 0, buf, 2, &n), S_OK);
    CHECK_EQ(n, 2); /* cut to fit */
    CHECK_EQ(buf[2], '.');
}

/* The kernel registered test_object() as "test.kernel": callable from
 * here, and not this process's to drop. */
static void kernel_name(void)
{
    ITestObject *t;
    CHECK_EQ(lookup("test.kernel", &IID_ITestObject, (void **)&t), S_OK);
    if (t) {
        CHECK_EQ(ITestObject_Null(t), S_OK);
        ITestObject_Release(t);
    }
    CHECK_EQ(INameService_Unregister(ns, "test.kernel"), NAME_E_NOT_OWNER);
}

static void unregister(void)
{
    void *o;
    CHECK_EQ(INameService_Unregister(ns, "test.self"), S_OK);
    CHECK_EQ(lookup("test.self", &IID_IUnknown, &o), NAME_E_NOT_FOUND);
    CHECK_EQ(INameService_Unregister(ns, "test.self"), NAME_E_NOT_FOUND);
}

/* How many names Enumerate lists. */
static unsigned count(void)
{
    char buf[NAME_MAX_LENGTH];
    uint32_t n, i = 0;
    while (INameService_Enumerate(ns, i, buf, sizeof buf, &n) == S_OK)
        i++;
    return i;
}

/* Names until the table is full; they stay for the process's end. */
static void fill(void)
{
    char name[16];
    SCODE sc = S_OK;
    unsigned before = count(), n = 0;
    while (sc == S_OK && n <= NAME_MAX_NAMES) {
        snprintf(name, sizeof name, "test.fill.%u", n);
        sc = INameService_Register(ns, name, (IUnknown *)CurrentAddressSpace());
        n += sc == S_OK;
    }
    CHECK_EQ(sc, NAME_E_FULL);
    CHECK_EQ(n, NAME_MAX_NAMES - before);
    CHECK_EQ(count(), NAME_MAX_NAMES);
}

static void self(void)
{
    register_and_find_itself();
    unknown_and_malformed_names();
    bad_name_pointers();
    enumerate();
    kernel_name();
    unregister();
    fill();
}

static void client(uint32_t server_id)
{
    IProcess *p;
    CHECK_EQ(lookup("test.server", &IID_IProcess, (void **)&p), S_OK);
    if (p) {
        CHECK_EQ(id_of(p), server_id);
        CHECK(id_of(p) != id_of(CurrentProcess()), "another process");
        IProcess_Release(p);
    }
    IMemoryObject *view, *narrower = 0;
    CHECK_EQ(lookup("test.view", &IID_IMemoryObject, (void **)&view), S_OK);
    if (view) {
        CHECK_EQ(IMemoryObject_RestrictedAccess(view, PG, PG, AS_PROT_READ, &narrower), S_OK);
        if (narrower)
            IMemoryObject_Release(narrower);
        CHECK_EQ(
            IMemoryObject_RestrictedAccess(view, 0, PG, AS_PROT_READ | AS_PROT_WRITE, &narrower),
            VM_E_ACCESS_DENIED);
        CHECK_EQ(IMemoryObject_RestrictedAccess(view, PG, 2 * PG, AS_PROT_READ, &narrower),
                 VM_E_OUT_OF_RANGE);
        IMemoryObject_Release(view);
    }
    IConsole *c;
    CHECK_EQ(lookup("test.local", &IID_IConsole, (void **)&c), S_OK);
    if (c) {
        char line[32];
        uint32_t got = 0;
        CHECK_EQ(IConsole_Write(c, "12345", 5), S_OK);
        CHECK_EQ(IConsole_ReadLine(c, line, sizeof line, &got), S_OK);
        CHECK(got == 8 && !memcmp(line, "served 5", 8), "the server's line: %.*s", (int)got, line);
        IConsole_Release(c);
    }
    CHECK_EQ(lookup("test.local", &IID_IThread, (void **)&c), E_NOINTERFACE);
    CHECK_EQ(INameService_Unregister(ns, "test.server"), NAME_E_NOT_OWNER);
    CHECK_EQ(INameService_Register(ns, "test.server", (IUnknown *)CurrentProcess()), NAME_E_EXISTS);
}

/* A local object the server exports through the name service: its calls
 * from the client run on this process's server threads. An IConsole that
 * is not the console: it counts what it is written and reads a line of
 * its own. */
static uint32_t written;

static SCODE local_query(IConsole *This, REFIID riid, void **ppv)
{
    *ppv = 0;
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_IConsole))
        return E_NOINTERFACE;
    *ppv = This;
    return S_OK;
}

static SCODE local_ref(IConsole *This)
{
    (void)This; /* static: never freed */
    return S_OK;
}

static SCODE local_write(IConsole *This, const char *Text, uint32_t Length)
{
    (void)This;
    (void)Text;
    written += Length;
    return S_OK;
}

static SCODE local_read_line(IConsole *This, char *Buffer, uint32_t Size, uint32_t *pRead)
{
    (void)This;
    *pRead = (uint32_t)snprintf(Buffer, Size, "served %u", (unsigned)written);
    *pRead = *pRead < Size ? *pRead : Size;
    return S_OK;
}

static const struct IConsoleVtbl local_vtbl = {local_query, local_ref, local_ref, local_write,
                                               local_read_line};
static IConsole local = {&local_vtbl};

/* Names for the client: a read-only view of this program's first two
 * pages, an object of its own, then the process itself (the kernel waits
 * for the last). */
static void serve(void)
{
    CHECK_EQ(INameService_Register(ns, "test.local", (IUnknown *)&local), S_OK);
    IMemoryObject *mem = 0, *view = 0;
    CHECK_EQ(IProcess_QueryInterface(CurrentProcess(), &IID_IMemoryObject, (void **)&mem), S_OK);
    if (mem)
        CHECK_EQ(IMemoryObject_RestrictedAccess(mem, 0x400000, 2 * PG, AS_PROT_READ, &view), S_OK);
    if (view)
        CHECK_EQ(INameService_Register(ns, "test.view", (IUnknown *)view), S_OK);
    if (view)
        IMemoryObject_Release(view);
    if (mem)
        IMemoryObject_Release(mem);
    CHECK_EQ(INameService_Register(ns, "test.server", (IUnknown *)CurrentProcess()), S_OK);
}

/* The kernel process's IProcess, which the test kernel registered as
 * "test.kproc": it answers kernel threads only, so a process gets
 * E_ACCESSDENIED for everything that acts as the kernel process; Sleep
 * (the caller's own thread) and GetTime (the clock) answer everyone. */
static void kproc(void)
{
    IProcess *k = 0;
    CHECK_EQ(INameService_Lookup(ns, "test.kproc", &IID_IProcess, (void **)&k), S_OK);
    if (!k)
        return;
    IThread *t = 0;
    void *as = 0;
    uint64_t ms = 0;
    CHECK_EQ(IProcess_Sleep(k, 1), S_OK);
    CHECK_EQ(IProcess_GetTime(k, &ms), S_OK);
    CHECK(ms > 0, "the clock: %lu ms", (unsigned long)ms);
    CHECK_EQ(IProcess_Terminate(k, 0), E_ACCESSDENIED);
    CHECK_EQ(IProcess_SetServerPool(k, 0, 0, 1, 1, 0), E_ACCESSDENIED);
    CHECK_EQ(IProcess_CreateThread(k, 0x400000, 0, 0, &t), E_ACCESSDENIED);
    CHECK_EQ(IProcess_QueryInterface(k, &IID_IAddressSpace, &as), E_ACCESSDENIED);
    CHECK(t == NULL && as == NULL, "nothing handed out");
    /* last: were it obeyed, this thread would end here, with the
     * process's exit code 0 rather than main's 42 */
    CHECK_EQ(IProcess_ExitThread(k, 0), E_ACCESSDENIED);
    IProcess_Release(k);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    ns = NameService();
    CHECK(ns != NULL, "a name service");
    if (!ns)
        return 99;
    if (!strcmp(mode, "self")) {
        self();
    } else if (!strcmp(mode, "serve")) {
        serve();
        char line[16];
        uint32_t got;
        IConsole_ReadLine(CurrentConsole(), line, sizeof line, &got);
        return 70; /* never: no input comes, and the kill ends the thread */
    } else if (!strcmp(mode, "kproc")) {
        kproc();
        return utest_failures ? 1 : 42;
    } else if (!strcmp(mode, "client") && argc > 2) {
        client((uint32_t)strtoul(argv[2], 0, 0));
    } else {
        CHECK(0, "unknown mode %s", mode);
    }
    printf("test_names %s: %d failures\n", mode, utest_failures);
    return utest_failures;
}
