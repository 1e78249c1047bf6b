/* The file system's benchmarks (tools/bench runs bench_fs under qemu
 * -icount with a FAT16 image holding the 1 MiB /BENCH.BIN): guest
 * instructions per KiB of apps/test_fs's bench modes, with fs in a
 * process of its own and then in the kernel (a service started there
 * stays: that order). Only busy instructions count: each run's cycles
 * less the idle thread's (under -icount sleep=off a halt skips the time
 * the disk takes, and the ticks meanwhile are idle's), less a run that only opens the
 * file (the process's start and exit). Each placement mounts afresh, so
 * its first read is uncached and its second is the cache's. */
#include "../../proc/guest/run.h"
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/loader/services.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>

static uint64_t busy(const char *op, const char *path)
{
    uint64_t t0 = arch_cycles(), h0 = sched_idle_cycles();
    int32_t code = run_program(4, (const char *const[]){"test_fs", "bench", op, path});
    uint64_t t = arch_cycles() - t0, h = sched_idle_cycles() - h0;
    if (code != 0)
        ktest_fail(__FILE__, __LINE__, "test_fs bench %s %s: %d", op, path, code);
    return t - h;
}

/* Per KiB of 1 MiB, less the baseline. */
static uint64_t per_kib(uint64_t run, uint64_t base)
{
    return run > base ? (run - base) / 1024 : 0;
}

static void measure(const char *where, const char *new_file)
{
    uint64_t uncached = busy("read", "/BENCH.BIN");
    uint64_t cached = busy("read", "/BENCH.BIN");
    uint64_t base = busy("none", "/BENCH.BIN");
    uint64_t over = busy("over", "/BENCH.BIN");
    uint64_t fresh = busy("new", new_file);
    kprintf("bench: fs arch=%s where=%s read_uncached=%llu read_cached=%llu write_over=%llu "
            "write_new=%llu\n",
            ARCH_NAME, where, (unsigned long long)per_kib(uncached, base),
            (unsigned long long)per_kib(cached, base), (unsigned long long)per_kib(over, base),
            (unsigned long long)per_kib(fresh, base));
}

KBENCH(bench_fs)
{
    struct process *p;
    KT_ASSERT_EQ(service_start("fs", PLACE_PROCESS, &p), S_OK);
    KT_ASSERT(service_wait_ready("fs", 2000));
    measure("process", "/NEW1.BIN");
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
    KT_ASSERT_EQ(service_start("fs", PLACE_KERNEL, 0), S_OK);
    KT_ASSERT(service_wait_ready("fs", 2000));
    measure("kernel", "/NEW2.BIN");
    ktest_rebaseline(); /* the service stays for good, with what it grew */
}
