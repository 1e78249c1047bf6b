/* The network device from a process: apps/test_net calls "net0" through
 * the kernel-call path (an ARP exchange, a refused size, a timeout).
 * Named net_*, so the harness attaches the network. */
#include "../../proc/guest/run.h"
#include <kernel/ktest.h>

KTEST(net_from_a_process)
{
    KT_ASSERT_EQ(run_program(1, (const char *const[]){"test_net"}), 0);
}
