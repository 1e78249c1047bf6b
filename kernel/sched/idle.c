/* The idle thread.
 *
 * Under QEMU's -icount sleep=off a halt jumps virtual time to the next
 * event, so the cycle counter counts a wait for a device as if it were
 * work, and so are the timer ticks the guest takes meanwhile while the
 * host does the I/O. A benchmark that waits (a disk, a network) subtracts
 * the idle thread's time (sched_idle_cycles): from the switch to it to the
 * switch away, its halts and the interrupts that came during them and
 * woke nobody. The interrupt that wakes a waiter counts as idle too, up
 * to the switch: an undercount of one handler per wait. */
#include <kernel/arch.h>
#include <kernel/sched/sched.h>

static volatile unsigned pacing; /* waits that want guest time kept at pace */

/* While a driver waits for a device with a timeout, the idle thread spins
 * instead of halting: under -icount sleep=off a halt jumps guest time to
 * the next tick, again and again while the host does the I/O, and any
 * timeout in guest time would pass before a slow host's write is done.
 * Spinning keeps guest time at the pace of instructions (and costs only
 * power on real hardware, only during the I/O). */
void sched_idle_main(void *arg)
{
    (void)arg;
    for (;;)
        if (!pacing)
            arch_wait_for_interrupt();
}

void sched_idle_pace(bool on)
{
    if (on)
        __atomic_add_fetch(&pacing, 1, __ATOMIC_RELAXED);
    else
        __atomic_sub_fetch(&pacing, 1, __ATOMIC_RELAXED);
}
