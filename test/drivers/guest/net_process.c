/* The network device from a process: apps/test_net calls "net0" through
 * the kernel-call path (an ARP exchange, a refused size, a timeout).
 * Named net_*, so the harness attaches the network. */
#include "../../proc/guest/run.h"
#include <kernel/ktest.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>
#include <kernel/timer.h>

#include <config.h>

KTEST(net_from_a_process)
{
    KT_ASSERT_EQ(run_program(1, (const char *const[]){"test_net"}), 0);
}

/* A process killed while its thread waits in the driver (as the net
 * service's receive thread always does) ends at once. The wait used to
 * spin, interrupts off, when its thread was killed: the machine hung. */
KTEST(net_wait_ends_when_killed)
{
    struct process *p;
    KT_ASSERT_EQ(process_spawn("test_net", 2, (const char *const[]){"test_net", "wait"}, &p), S_OK);
    thread_sleep_ticks(CONFIG_HZ / 5); /* into Receive's wait */
    process_terminate(p, 7);
    uint64_t end = timer_ticks() + CONFIG_HZ;
    while (!event_is_set(&p->finished) && timer_ticks() < end)
        thread_sleep_ticks(1);
    KT_ASSERT(event_is_set(&p->finished));
    KT_ASSERT_EQ(process_wait(p), 7);
    process_release(p);
}
