/* test_threads: threads of one process.
 *   join      two threads run alongside main and return their exit codes,
 *             which IThread::Join gives back
 *   many      threads that stay alive are made until the process's bound
 *             (64, main included) refuses one; then every one runs to its
 *             end and is joined, and there is room again
 *   scratch   one thread's kernel call writes into read-only pages (the
 *             scratch page stands in, page after page, for long enough
 *             that the timer switches threads meanwhile) while the other
 *             reads those pages in a loop: it must only ever see what they
 *             hold, never what the call wrote into the scratch page. The
 *             call's exception then ends the process: 0xC0000005, or
 *             0xBAD if the reader saw the scratch page's data. */
#include <ITestObject.h>
#include <rialto.h>
#include <string.h>
#include <utest.h>

#define PG     4096u
#define NPAGES 8192 /* 32 MiB: a call of many timer ticks */

static volatile unsigned counter;

static int count_up(void *arg)
{
    for (unsigned i = 0; i < 100000; i++)
        counter++;
    return (int)(uintptr_t)arg;
}

static void join(void)
{
    IThread *a = CreateThread(count_up, (void *)42), *b = CreateThread(count_up, (void *)7);
    CHECK(a && b, "threads made");
    if (!a || !b)
        return;
    int32_t ca = 0, cb = 0;
    CHECK_EQ(IThread_Join(a, 0xffffffffu, &ca), S_OK);
    CHECK_EQ(IThread_Join(b, 0xffffffffu, &cb), S_OK);
    CHECK_EQ(ca, 42);
    CHECK_EQ(cb, 7);
    THREAD_INFO info;
    CHECK_EQ(IThread_GetInfo(a, &info), S_OK);
    CHECK_EQ(info.State, THREAD_STATE_EXITED);
    IThread_Release(a);
    IThread_Release(b);
}

static volatile uint32_t *pages;

static volatile int reader_ready;

/* The reader says it runs (its stack faulted in), then waits about one
 * and a half time slices touching none of the pages, so that its first
 * look at each comes in the middle of the writer's call: a translation
 * cached earlier would show it the page whatever the kernel mapped since
 * (QEMU keeps user-mode and kernel-mode TLB entries apart). */
static int reader(void *arg)
{
    (void)arg;
    reader_ready = 1;
    for (volatile unsigned i = 0; i < 2500000; i++)
        ;
    for (;;)
        for (unsigned p = 0; p < NPAGES; p++)
            if (pages[p * PG / 4] != 0x11111111u)
                IProcess_Terminate(CurrentProcess(), 0xBAD);
}

static int scratch(void)
{
    ITestObject *test = 0;
    ADDRESS a = 0;
    if (com_unmarshal_interface(StartHandle(), &IID_ITestObject, (void **)&test) || !test ||
        IAddressSpace_Allocate(CurrentAddressSpace(), &a, NPAGES * PG,
                               AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE))
        return 90;
    memset((void *)a, 0x11, NPAGES * PG);
    IAddressSpace_Protect(CurrentAddressSpace(), a, NPAGES * PG, AS_PROT_READ);
    pages = (volatile uint32_t *)a;
    if (!CreateThread(reader, 0))
        return 91;
    while (!reader_ready) /* until the timer gave the reader a turn */
        ;
    ITestObject_Fill(test, (BYTE *)a, NPAGES * PG, 0x77);
    return 92; /* never: the call's exception ends the process */
}

static volatile int go;

static int one(void *arg)
{
    while (!go) /* alive until all are made: they count against the bound */
        ;
    return (int)(uintptr_t)arg;
}

static void many(void)
{
    static IThread *threads[100];
    unsigned n = 0;
    while (n < 100 && (threads[n] = CreateThread(one, (void *)(uintptr_t)n)) != 0)
        n++;
    CHECK_EQ(n, 63); /* PROC_MAX_THREADS, main included */
    go = 1;
    for (unsigned i = 0; i < n; i++) {
        int32_t code = -1;
        CHECK_EQ(IThread_Join(threads[i], 0xffffffffu, &code), S_OK);
        CHECK_EQ(code, i);
        IThread_Release(threads[i]);
    }
    IThread *again = CreateThread(one, 0); /* room again once they are gone */
    CHECK(again != 0, "a thread after the others ended");
    if (again)
        IThread_Release(again);
}

/* Events (IProcess::CreateEvent): a Set with nobody waiting is kept for
 * the next Wait (once), a Wait times out, and a Set wakes a waiter. */
static IEvent *event;

static int waits(void *arg)
{
    (void)arg;
    return IEvent_Wait(event, 0) == S_OK ? 5 : 1;
}

static void events(void)
{
    int32_t code = 0;
    CHECK_EQ(IProcess_CreateEvent(CurrentProcess(), &event), S_OK);
    if (!event)
        return;
    CHECK_EQ(IEvent_Wait(event, 20), EVENT_E_TIMEOUT);
    CHECK_EQ(IEvent_Set(event), S_OK);
    CHECK_EQ(IEvent_Set(event), S_OK);
    CHECK_EQ(IEvent_Wait(event, 20), S_OK);            /* kept */
    CHECK_EQ(IEvent_Wait(event, 20), EVENT_E_TIMEOUT); /* once, not counted */
    IThread *t = CreateThread(waits, 0);
    CHECK(t != 0, "a waiter");
    IProcess_Sleep(CurrentProcess(), 50);
    THREAD_INFO info;
    CHECK_EQ(t ? IThread_GetInfo(t, &info) : E_FAIL, S_OK);
    CHECK(info.State != THREAD_STATE_EXITED, "the waiter waits");
    CHECK_EQ(IEvent_Set(event), S_OK);
    CHECK_EQ(t ? IThread_Join(t, 0xffffffffu, &code) : E_FAIL, S_OK);
    CHECK_EQ(code, 5);
    if (t)
        IThread_Release(t);
    IEvent_Release(event);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "scratch"))
        return scratch();
    if (!strcmp(mode, "join"))
        join();
    else if (!strcmp(mode, "many"))
        many();
    else if (!strcmp(mode, "events"))
        events();
    else
        CHECK(0, "unknown mode %s", mode);
    return utest_failures;
}
