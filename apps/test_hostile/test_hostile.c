/* test_hostile: what a malicious program passes to kernel objects gets an
 * error code, never the kernel's memory or a panic. With no argument it
 * runs every case that returns an error; the other modes are the cases
 * that end the process (the scratch page's exception) or need the kernel
 * test's help:
 *   ro | freed | guard   an out buffer in a read-only, freed or guard page
 *   foreign HANDLE       another process's handle
 *   spin                 kernel calls until it is terminated
 *   read                 waits in IConsole::ReadLine until it is terminated
 *   exhaust              touch auto-commit pages until physical memory runs
 *                        out: the fault that finds none is the process's
 *                        access violation, not the kernel's panic
 *   exhaust-call         the same, the pages written by a kernel call
 *                        (ITestObject::Fill of the Extra handle, the test
 *                        kernel's object): the kernel's fault that finds
 *                        no memory is the caller's exception as the call
 *                        returns (found by test_fuzz, seed 17)
 *   exhaust-hold         the same with a handler that goes on after the
 *                        call, keeping what it got; then threads, whose
 *                        kernel stacks and objects need kernel memory:
 *                        refused, or an access violation when a user
 *                        stack finds no page; never the kernel's panic
 *   secret VALUE         keep VALUE at one address while another process
 *                        keeps its own there */
#include <ITestObject.h>
#include <rialto.h>
#include <stdlib.h>
#include <string.h>
#include <utest.h>

#define PG 4096u

struct proxy { /* what every proxy starts with (<com/com.h>) */
    const void *vtbl;
    com_handle_t handle;
};

static com_handle_t handle_of(void *itf)
{
    return ((struct proxy *)itf)->handle;
}

static SCODE query_raw(com_handle_t h, uint32_t method, void *block)
{
    return com_invoke(h, &IID_IAddressSpace, method, block);
}

/* Query with its out pointer at p. */
static SCODE query_into(uintptr_t p)
{
    return IAddressSpace_Query(CurrentAddressSpace(), 0x400000, (ADDR_REGION_INFO *)p);
}

static void bad_pointers(void)
{
    const uintptr_t bad[] = {
        0,          /* NULL */
        0x80000000, /* the first address past the user range: kernel_as once biased */
        0x7ffffff0, /* a structure that runs past the user range */
        0xc0000000, /* unmapped kernel memory once biased */
        0xfffff000, /* wraps once biased */
        0x400001,   /* unaligned */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(query_into(bad[i]) == E_POINTER, "Query into %#lx", (unsigned long)bad[i]);
    IConsole *c = CurrentConsole();
    CHECK_EQ(IConsole_Write(c, (const char *)0x7ffffff0, 0x20), E_POINTER); /* past the range */
    CHECK_EQ(IConsole_Write(c, (const char *)0xfffffff0, 0x20), E_POINTER); /* wraps */
    CHECK_EQ(IConsole_Write(c, (const char *)0x400000, 0xffffffffu),
             RPC_E_INVALID_BOUND);                                /* huge */
    CHECK_EQ(IConsole_Write(c, (const char *)0x400000, 0), S_OK); /* nothing is fine */
}

static void bad_handles_methods_and_blocks(void)
{
    com_handle_t h = handle_of(CurrentAddressSpace());
    ADDR_REGION_INFO info;
    struct IAddressSpace_Query_args a = {0x400000, &info};
    CHECK_EQ(query_raw(h, IAddressSpace_M_Query, &a), S_OK);
    CHECK_EQ(query_raw(0, IAddressSpace_M_Query, &a), E_HANDLE);
    CHECK_EQ(query_raw(h ^ 0x400, IAddressSpace_M_Query, &a), E_HANDLE); /* another serial */
    CHECK_EQ(query_raw(h + 1, IAddressSpace_M_Query, &a), E_HANDLE);     /* another slot */
    CHECK_EQ(query_raw(0xffffffffu, IAddressSpace_M_Query, &a), E_HANDLE);
    CHECK_EQ(query_raw(h, IAddressSpace_NMETHODS, &a), RPC_E_BADMETHOD);
    CHECK_EQ(query_raw(h, 0xffffffffu, &a), RPC_E_BADMETHOD);
    CHECK_EQ(query_raw(h, IAddressSpace_M_Query, 0), E_POINTER);
    CHECK_EQ(query_raw(h, IAddressSpace_M_Query, (void *)0x80000000), E_POINTER);
    CHECK_EQ(query_raw(h, IAddressSpace_M_Query, (void *)0x7ffffffc), E_POINTER);
    CHECK_EQ(query_raw(h, IAddressSpace_M_Query, (char *)&a + 1), E_POINTER);
    /* a closed handle: one from QueryInterface, released */
    IMemoryObject *mem = 0;
    CHECK_EQ(IAddressSpace_QueryInterface(CurrentAddressSpace(), &IID_IMemoryObject, (void **)&mem),
             S_OK);
    if (mem) {
        com_handle_t closed = handle_of(mem);
        IMemoryObject_Release(mem);
        CHECK_EQ(com_invoke(closed, &IID_IMemoryObject, IUnknown_M_AddRef, &a), E_HANDLE);
    }
    /* a handle of one interface called as another is the object's own method table */
    CHECK_EQ(com_invoke(handle_of(CurrentConsole()), &IID_IAddressSpace, IAddressSpace_M_Query, &a),
             RPC_E_BADMETHOD);
}

/* An out buffer the kernel cannot write: the call runs on the scratch
 * page, and the process ends with an access violation as it returns. */
static int bad_out_buffer(const char *kind)
{
    IAddressSpace *as = CurrentAddressSpace();
    ADDRESS a = 0;
    if (IAddressSpace_Allocate(as, &a, 2 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE))
        return 100;
    memset((void *)a, 0x11, 2 * PG);
    if (!strcmp(kind, "ro"))
        IAddressSpace_Protect(as, a, PG, AS_PROT_READ);
    else if (!strcmp(kind, "freed"))
        IAddressSpace_Deallocate(as, a, PG);
    else
        IAddressSpace_Decommit(as, a, PG); /* reserved, not committed: a guard page */
    SCODE sc = query_into(a + 64);
    printf("test_hostile: the call returned %#x and the process lives on\n", (unsigned)sc);
    return 101; /* never: the exception ends the process first */
}

static int exhaust(void)
{
    ADDRESS a = 0;
    size_t size = 512u << 20; /* more than the machine has */
    if (IAddressSpace_Allocate(CurrentAddressSpace(), &a, size,
                               AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO))
        return 80;
    for (size_t off = 0; off < size; off += PG)
        ((volatile char *)a)[off] = 1;
    return 81; /* never: memory runs out first */
}

static int exhaust_in_call(void)
{
    ADDRESS a = 0;
    size_t size = 160u << 20; /* more than the machine has (128 MiB) */
    ITestObject *box = 0;
    if (IAddressSpace_Allocate(CurrentAddressSpace(), &a, size,
                               AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO) ||
        com_unmarshal_interface(StartHandle(), &IID_ITestObject, (void **)&box))
        return 90;
    SCODE sc = ITestObject_Fill(box, (BYTE *)a, size, 1);
    printf("test_hostile: Fill returned %#x and the process lives on\n", (unsigned)sc);
    return 91; /* never: the exception ends the process as the call returns */
}

static int on_call_fault(const EXCEPTION_RECORD *r)
{
    (void)r;
    return EXCEPTION_CONTINUE_EXECUTION; /* after the call that raised it */
}

static int deep(void *arg)
{
    volatile char frame[3 * PG]; /* a kernel call with a deeper user stack under it */
    frame[0] = (char)(uintptr_t)arg;
    IAddressSpace_GetMemoryStatus(CurrentAddressSpace(), &(MEMORY_STATUS){0});
    return frame[0];
}

static void touch_stack(void)
{
    volatile char frame[16 * 1024];
    for (unsigned i = 0; i < sizeof frame; i += PG)
        frame[i] = 1;
}

/* Hold all the memory a kernel call could get for us, then ask the kernel
 * for more of its own: threads (kernel stacks, objects). Each is refused,
 * or made and then ends the process when its user stack finds no page
 * (an access violation); status 0 if none got that far. */
static int exhaust_and_hold(void)
{
    touch_stack(); /* our own stack's pages first: we keep going after */
    ADDRESS a = 0;
    size_t size = 160u << 20;
    ITestObject *box = 0;
    if (IAddressSpace_Allocate(CurrentAddressSpace(), &a, size,
                               AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO) ||
        com_unmarshal_interface(StartHandle(), &IID_ITestObject, (void **)&box))
        return 90;
    SetExceptionHandler(on_call_fault);
    ITestObject_Fill(box, (BYTE *)a, size, 1);
    SetExceptionHandler(0);
    unsigned made = 0;
    for (int i = 0; i < 8; i++) {
        IThread *t = CreateThread(deep, (void *)(uintptr_t)i);
        int32_t code = -1;
        if (t && IThread_Join(t, 0xFFFFFFFFu, &code) == S_OK && code == i)
            made++;
        if (t)
            IThread_Release(t);
    }
    printf("test_hostile: %u of 8 threads ran with the memory held\n", made);
    return 0;
}

static void spin(void)
{
    MEMORY_STATUS st;
    for (;;)
        IAddressSpace_GetMemoryStatus(CurrentAddressSpace(), &st);
}

/* Keep value at one fixed address for a while, checking it stays. */
static void secret(uint32_t value)
{
    ADDRESS a = 0x20000000;
    CHECK_EQ(IAddressSpace_Allocate(CurrentAddressSpace(), &a, PG, AS_PROT_READ | AS_PROT_WRITE),
             S_OK);
    volatile uint32_t *p = (volatile uint32_t *)a;
    *p = value;
    for (unsigned i = 0; i < 2000000 && *p == value; i++) {
        MEMORY_STATUS st;
        if (i % 1000 == 0)
            IAddressSpace_GetMemoryStatus(CurrentAddressSpace(), &st);
    }
    CHECK_EQ(*p, value);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!*mode) {
        bad_pointers();
        bad_handles_methods_and_blocks();
    } else if (!strcmp(mode, "ro") || !strcmp(mode, "freed") || !strcmp(mode, "guard")) {
        return bad_out_buffer(mode);
    } else if (!strcmp(mode, "foreign") && argc > 2) {
        struct IAddressSpace_Query_args a = {0x400000, 0};
        CHECK_EQ(query_raw((com_handle_t)strtoul(argv[2], 0, 0), IAddressSpace_M_Query, &a),
                 E_HANDLE);
    } else if (!strcmp(mode, "exhaust")) {
        return exhaust();
    } else if (!strcmp(mode, "exhaust-call")) {
        return exhaust_in_call();
    } else if (!strcmp(mode, "exhaust-hold")) {
        return exhaust_and_hold();
    } else if (!strcmp(mode, "read")) {
        char line[16];
        uint32_t got;
        IConsole_ReadLine(CurrentConsole(), line, sizeof line, &got);
        return 70; /* never: no input comes, and the kill ends the thread */
    } else if (!strcmp(mode, "spin")) {
        spin();
    } else if (!strcmp(mode, "secret") && argc > 2) {
        secret((uint32_t)strtoul(argv[2], 0, 0));
    } else {
        CHECK(0, "unknown mode %s", mode);
    }
    printf("test_hostile %s: %d failures\n", mode, utest_failures);
    return utest_failures;
}
