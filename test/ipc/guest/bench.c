/* Benchmarks of calls into processes (tools/bench runs them under qemu
 * -icount shift=0: arch_cycles counts guest instructions). A client's
 * figure is the difference between test_ipc doing N calls and doing
 * nothing N times, over N: process start and exit cancel out. */
#include "server.h"
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>

static uint64_t run(const char *mode, unsigned long n)
{
    char count[16];
    ksnprintf(count, sizeof count, "%lu", n);
    uint64_t t0 = arch_cycles();
    int32_t code = client_run(3, (const char *const[]){"test_ipc", mode, count});
    uint64_t t = arch_cycles() - t0;
    if (code != 0)
        ktest_fail(__FILE__, __LINE__, "test_ipc %s: %d", mode, code);
    return t;
}

static uint64_t per_call(const char *mode, unsigned long n)
{
    uint64_t with = run(mode, n), without = run("bench-loop", n);
    return with > without ? (with - without) / n : 0;
}

static uint64_t kernel_to_process(ITestObject *remote, unsigned long n)
{
    uint64_t t0 = arch_cycles();
    for (unsigned long i = 0; i < n; i++)
        ITestObject_Null(remote);
    return (arch_cycles() - t0) / n;
}

KBENCH(bench_ipc)
{
    enum { CALLS = 2000 };
    struct server s;
    if (!server_start(&s, 0, 0, 0))
        return;
    per_call("bench-null", 10); /* the pool's first thread, warm */
    uint64_t null = per_call("bench-null", CALLS), in = per_call("bench-in", CALLS);
    uint64_t out = per_call("bench-out", CALLS), down = kernel_to_process(s.remote, CALLS);
    server_stop(&s);
    kprintf("bench: ipc arch=%s null=%llu in_4k=%llu out_4k=%llu kernel_to_process=%llu\n",
            ARCH_NAME, (unsigned long long)null, (unsigned long long)in, (unsigned long long)out,
            (unsigned long long)down);
}
