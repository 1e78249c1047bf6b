/* The kernel-call fuzzer's guest tests (apps/test_fuzz, issue 14). The
 * driver starts a server (test_fuzz serve: an ITestObject of its own in
 * the test object's mailbox, and a read-only view of its pages named
 * "fz-mem"), then test_fuzz SEED CALLS with the test object as its Extra
 * handle (the server's object waiting in its mailbox) and another
 * process's handles to forge with, and while it runs checks the kernel's
 * invariants once a tick: as_check on the kernel's space and on every
 * process's, every handle table, the page and heap counters. The fuzzer
 * judges the kernel's answers itself (status 5: a wrong one), and so does
 * the server (a wrong out buffer ends it with 5). After them, no remote
 * object is left and the runner's leak check finds every page and heap
 * byte back. */
#include "check.h"
#include "run.h"
#include "test_object.h"
#include <kernel/arch.h>
#include <kernel/ipc/remote.h>
#include <kernel/lib/cmdline.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/panic.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>
#include <kernel/timer.h>

#define FZ_EXIT_WRONG 5 /* apps/test_fuzz/fuzz.h */
#define SERVER_ENDED  0x5e

/* test_fuzz serve, once its object is in the mailbox (left there for the
 * fuzzer to take); NULL after a recorded failure. */
static struct process *start_server(void)
{
    struct process *s;
    const char *argv[] = {"test_fuzz", "serve"};
    if (FAILED(process_spawn_with("test_fuzz", 2, argv, test_object(), &IID_ITestObject, &s))) {
        ktest_fail(__FILE__, __LINE__, "cannot start the server");
        return 0;
    }
    ITestObject *box = (ITestObject *)test_object(), *o = 0;
    for (int i = 0; i < 1000 && !o && !event_is_set(&s->finished); i++)
        if (ITestObject_Get(box, &o) != S_OK)
            thread_sleep_ticks(1);
    if (o)
        ITestObject_Release(o);
    else
        ktest_fail(__FILE__, __LINE__, "the server's object never came");
    return s;
}

/* End the server: a wrong out buffer ended it with FZ_EXIT_WRONG. It may
 * have died of an exception: the fuzzer may hold every page a process
 * may have (seed 17 did, through a Fill into an auto-commit range), and
 * then a server thread's stack finds none. Every remote object goes with
 * it. */
static void stop_server(struct process *s)
{
    bool alive = !event_is_set(&s->finished);
    process_terminate(s, SERVER_ENDED);
    int32_t code = process_wait(s);
    process_release(s);
    if (code == FZ_EXIT_WRONG)
        ktest_fail(__FILE__, __LINE__, "the server saw a wrong call (fuzz: WRONG server above)");
    else if (!alive)
        kprintf("fuzz: the server ended by itself: %#x\n", (unsigned)code);
    if (remote_count() != 0)
        ktest_fail(__FILE__, __LINE__, "%u remote objects left", (unsigned)remote_count());
}

/* Run the fuzzer with seed for calls calls, checking as it goes; its exit
 * status. */
static int32_t fuzz(uint32_t seed, unsigned long calls)
{
    struct process *other, *p, *server = start_server();
    if (!server)
        return -1;
    if (FAILED(process_spawn("sleep", 2, (const char *const[]){"sleep", "1000"}, &other))) {
        ktest_fail(__FILE__, __LINE__, "cannot start sleep");
        stop_server(server);
        return -1;
    }
    char s[16], c[16], h1[16], h2[16];
    ksnprintf(s, sizeof s, "%u", (unsigned)seed);
    ksnprintf(c, sizeof c, "%lu", calls);
    ksnprintf(h1, sizeof h1, "%#x", other->handles.slots[1].handle);
    ksnprintf(h2, sizeof h2, "%#x", other->handles.slots[2].handle);
    const char *argv[] = {"test_fuzz", s, c, h1, h2};
    uint64_t t0 = arch_cycles(), idle0 = sched_idle_cycles();
    SCODE sc = process_spawn_with("test_fuzz", 5, argv, test_object(), &IID_ITestObject, &p);
    if (FAILED(sc)) {
        end_process(other);
        stop_server(server);
        ktest_fail(__FILE__, __LINE__, "cannot start test_fuzz: %#x", (unsigned)sc);
        return -1;
    }
    unsigned checks = 0;
    while (!event_is_set(&p->finished)) {
        thread_sleep_ticks(1);
        check_kernel("fuzz"), checks++;
    }
    int32_t code = process_wait(p);
    uint64_t t = arch_cycles() - t0 - (sched_idle_cycles() - idle0); /* busy: halts skip time */
    process_release(p);
    end_process(other);
    ITestObject *m = test_object_take_mail(); /* the server's object, or the fuzzer's Put */
    if (m)
        m->lpVtbl->Release(m);
    stop_server(server);
    check_kernel("fuzz");
    if (code == FZ_EXIT_WRONG)
        ktest_fail(__FILE__, __LINE__, "seed %u: the kernel answered wrong (fuzz: WRONG above)",
                   (unsigned)seed);
    kprintf("fuzz: arch=%s seed=%u calls=%lu checks=%u %s=%llu per_call=%llu\n", ARCH_NAME,
            (unsigned)seed, calls, checks, cycles_unit(), (unsigned long long)t,
            (unsigned long long)(t / (calls ? calls : 1)));
    return code;
}

/* CI: a few thousand calls over a fixed seed set. Seeds 3 and 0xdecafbad
 * once found the fuzzer calling its own IProcess through a "foreign"
 * handle value (apps/test_fuzz/args.c, target): they stay as regression
 * seeds. */
KTEST(user_fuzz_kernel_calls)
{
    static const uint32_t seeds[] = {1, 2, 3, 0xdecafbadu};
    for (unsigned i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        KT_ASSERT_EQ(fuzz(seeds[i], 1000), 0);
}

/* `ninja fuzz-kernel` (tools/fuzz-kernel): fuzz.seed=N and fuzz.calls=N
 * on the kernel command line, by default a million calls of one seed. */
KBENCH(fuzz_kernel)
{
    unsigned long seed = 0x5eed0001u, calls = 1000000; /* both decimal on the command line */
    cmdline_get_uint(ktest_cmdline(), "fuzz.seed", &seed);
    cmdline_get_uint(ktest_cmdline(), "fuzz.calls", &calls);
    KT_ASSERT_EQ(fuzz((uint32_t)seed, calls), 0);
}
