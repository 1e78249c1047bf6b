/* Benchmarks of placement and sharing (tools/bench runs them under qemu
 * -icount shift=0). An app's null call to the sample service costs the
 * difference between test_kv making N calls and doing nothing N times,
 * over N (process start and exit cancel out), with kv in a process of its
 * own and then in the kernel (a service started there stays: that order).
 * The pages sharing saves are taken with two `sleep` processes running
 * beside the kernel process. */
#include "../../proc/guest/run.h"
#include "loaded.h"
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/loader/services.h>
#include <kernel/loader/sharing.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>

static uint64_t run(const char *mode, unsigned long n)
{
    char count[16];
    ksnprintf(count, sizeof count, "%lu", n);
    uint64_t t0 = arch_cycles();
    int32_t code = run_program(3, (const char *const[]){"test_kv", mode, count});
    uint64_t t = arch_cycles() - t0;
    if (code != 0)
        ktest_fail(__FILE__, __LINE__, "test_kv %s: %d", mode, code);
    return t;
}

static uint64_t per_call(unsigned long n)
{
    uint64_t with = run("bench", n), without = run("loop", n);
    return with > without ? (with - without) / n : 0;
}

enum { CALLS = 2000 };

static uint64_t in_a_process(void)
{
    struct process *p;
    if (FAILED(service_start("kv", PLACE_PROCESS, &p)))
        return 0;
    uint64_t cost = 0;
    if (kv_registered()) {
        per_call(10); /* the service's first thread and pages, made */
        cost = per_call(CALLS);
    }
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
    return cost;
}

static uint64_t in_the_kernel(void)
{
    if (FAILED(service_start("kv", PLACE_KERNEL, 0)) || !kv_registered())
        return 0;
    per_call(10);
    ktest_rebaseline(); /* the service stays for good */
    return per_call(CALLS);
}

KBENCH(bench_placement)
{
    uint64_t process = in_a_process();
    uint64_t kernel = in_the_kernel();
    KT_ASSERT(process > 0 && kernel > 0);
    uint64_t tenths = process * 10 / kernel;
    kprintf("bench: placement arch=%s kv_null_kernel=%llu kv_null_process=%llu ratio=%llu.%llu\n",
            ARCH_NAME, (unsigned long long)kernel, (unsigned long long)process,
            (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
}

static struct process *sleeper(void)
{
    struct process *p;
    if (FAILED(process_spawn("sleep", 2, (const char *const[]){"sleep", "60"}, &p)))
        return 0;
    thread_sleep_ticks(20); /* its runtime started: static data written */
    return p;
}

static void end(struct process *p)
{
    if (!p)
        return;
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
}

KBENCH(bench_sharing)
{
    struct process *p1 = sleeper(), *p2 = sleeper();
    struct image *rt = image_named("rt.dll");
    struct sharing s;
    sharing_take(&s);
    size_t saved = sharing_saved(&s), shared = s.shared, held = s.held;
    size_t kernel = s.spaces[0].shared;
    sharing_drop(&s);
    end(p1);
    end(p2);
    KT_ASSERT(p1 && p2 && rt);
    kprintf("bench: sharing arch=%s spaces=3 saved_pages=%zu shared_pages=%zu held_pages=%zu "
            "kernel_shared=%zu rt_code_pages=%zu rt_pages=%zu\n",
            ARCH_NAME, saved, shared, held, kernel, sharing_image_pages(rt, true),
            sharing_image_pages(rt, false));
}
