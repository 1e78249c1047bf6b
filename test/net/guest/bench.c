/* The network's benchmarks (tools/bench runs bench_net under qemu -icount
 * with ports forwarded to the guest and tools/netpump sending to them:
 * UDP to 9, a 256 KiB TCP stream to 7, a 256 KiB TCP echo to 8): busy
 * guest instructions of apps/test_sock's bench modes, with net in a
 * process of its own and then in the kernel (a service started there
 * stays: that order). Busy: each run's cycles less the idle thread's (the
 * waits for the host's traffic), less a run that does nothing (the
 * process's start and exit). The idle thread keeps pace meanwhile
 * (sched_idle_pace): the guest's clock then moves with its instructions
 * instead of racing ahead across halts, so its timeouts and TCP's timers
 * keep to the host's clock roughly. tools/netpump sends only while a
 * run asks (a go-ahead connection): traffic nobody waits for would be
 * counted against whatever runs meanwhile, as it once was. */
#include "../../proc/guest/run.h"
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/loader/services.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>

#define UDP_N     1000
#define TCP_BYTES (256 * 1024)

static uint64_t busy(int argc, const char *const *argv)
{
    uint64_t t0 = arch_cycles(), i0 = sched_idle_cycles();
    int32_t code = run_program(argc, argv);
    uint64_t t = arch_cycles() - t0, idle = sched_idle_cycles() - i0;
    if (code != 0)
        ktest_fail(__FILE__, __LINE__, "test_sock bench %s: %d", argv[2], code);
    return t - idle;
}

static uint64_t less(uint64_t run, uint64_t base, uint64_t per)
{
    return run > base ? (run - base) / per : 0;
}

static void measure(const char *where)
{
    uint64_t base = busy(3, (const char *const[]){"test_sock", "bench", "none"});
    uint64_t recv = busy(5, (const char *const[]){"test_sock", "bench", "udprecv", "9", "1000"});
    uint64_t send = busy(4, (const char *const[]){"test_sock", "bench", "udpsend", "1000"});
    uint64_t tcp = busy(4, (const char *const[]){"test_sock", "bench", "tcprecv", "7"});
    uint64_t echo = busy(4, (const char *const[]){"test_sock", "bench", "tcpecho", "8"});
    kprintf("bench: net arch=%s where=%s udp_recv=%llu udp_send=%llu tcp_recv=%llu "
            "tcp_echo=%llu\n",
            ARCH_NAME, where, (unsigned long long)less(recv, base, UDP_N),
            (unsigned long long)less(send, base, UDP_N),
            (unsigned long long)less(tcp, base, TCP_BYTES / 1024),
            (unsigned long long)less(echo, base, TCP_BYTES / 1024));
}

KBENCH(bench_net)
{
    struct process *p;
    sched_idle_pace(true); /* guest time at the pace of instructions, not racing the host's */
    KT_ASSERT_EQ(service_start("net", PLACE_PROCESS, &p), S_OK);
    KT_ASSERT(service_wait_ready("net", 30000));
    measure("process");
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
    KT_ASSERT_EQ(service_start("net", PLACE_KERNEL, 0), S_OK);
    KT_ASSERT(service_wait_ready("net", 30000));
    measure("kernel");
    sched_idle_pace(false);
    ktest_rebaseline(); /* the service stays for good, with what it grew */
}
