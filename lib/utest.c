/* The failure count of <utest.h>'s checks, and its threads at once. */
#include <rialto.h>
#include <utest.h>

int utest_failures;

void utest_threads(int (*fn)(void *), unsigned n)
{
    IThread *t[UTEST_MAX_THREADS];
    n = n < UTEST_MAX_THREADS ? n : UTEST_MAX_THREADS;
    for (uintptr_t i = 0; i < n; i++)
        t[i] = CreateThread(fn, (void *)i);
    for (unsigned i = 0; i < n; i++) {
        int32_t code = -1;
        CHECK(t[i] != NULL, "thread %u", i);
        if (!t[i])
            continue;
        CHECK_EQ(IThread_Join(t[i], 0xffffffff, &code), S_OK);
        CHECK_EQ(code, 0);
        IThread_Release(t[i]);
    }
}
