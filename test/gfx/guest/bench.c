/* The graphics service's benchmarks (tools/bench runs bench_gfx under
 * qemu -icount with a display): guest instructions per pixel of a Fill
 * and a Blit of a whole 640x480 surface, and of a Present of one, with
 * gfx in a process of its own and then in the kernel (a service started
 * there stays: that order). Each figure is ROUNDS calls of apps/test_gfx's
 * bench mode, less a run that makes the same surfaces and calls nothing,
 * in hundredths of an instruction per pixel (tools/bench prints them as
 * decimals), and a whole Present call in instructions. Busy instructions only: the idle thread's
 * are subtracted. */
#include "../../proc/guest/run.h"
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/loader/services.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>

#define ROUNDS "20"
#define PIXELS (640ull * 480 * 20)

static uint64_t busy(const char *what)
{
    uint64_t t0 = arch_cycles(), h0 = sched_idle_cycles();
    int32_t code = run_program(4, (const char *const[]){"test_gfx", "bench", what, ROUNDS});
    uint64_t t = arch_cycles() - t0, h = sched_idle_cycles() - h0;
    if (code != 0)
        ktest_fail(__FILE__, __LINE__, "test_gfx bench %s: %d", what, code);
    return t - h;
}

/* Hundredths of an instruction per pixel, less the baseline. */
static unsigned long long per_pixel(uint64_t run, uint64_t base)
{
    return run > base ? (run - base) * 100 / PIXELS : 0;
}

static void measure(const char *where)
{
    uint64_t base = busy("none");
    uint64_t fill = busy("fill"), blit = busy("blit"), present = busy("present");
    unsigned long long call = present > base ? (present - base) / 20 : 0;
    kprintf("bench: gfx arch=%s where=%s fill=%llu blit=%llu present=%llu present_call=%llu\n",
            ARCH_NAME, where, per_pixel(fill, base), per_pixel(blit, base),
            per_pixel(present, base), call);
}

KBENCH(bench_gfx)
{
    struct process *p;
    KT_ASSERT_EQ(service_start("gfx", PLACE_PROCESS, &p), S_OK);
    KT_ASSERT(service_wait_ready("gfx", SERVICE_READY_MS));
    measure("process");
    end_process(p);
    KT_ASSERT_EQ(service_start("gfx", PLACE_KERNEL, 0), S_OK);
    KT_ASSERT(service_wait_ready("gfx", SERVICE_READY_MS));
    measure("kernel");
    ktest_rebaseline(); /* the service stays for good, with what it grew */
}
