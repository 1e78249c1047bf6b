/* Fault injection for tests: the n-th event from arming on fails
 * (heap_fail_allocation, vm_fail_allocation, handle_fail_insert). Threads
 * race for events, and one may be preempted halfway through another's
 * count: the count is one atomic add, made only while armed (an unarmed
 * event pays one load), and the failure disarms it, so exactly one event
 * fails however many race for the n-th. */
#ifndef KERNEL_LIB_INJECT_H
#define KERNEL_LIB_INJECT_H

#include <stdbool.h>

struct inject {
    unsigned long count; /* events since arming */
    unsigned long at;    /* the one to fail; 0: disarmed */
};

/* Fail the n-th event from now (0: none); how many were counted since
 * the last arming: at least n if the n-th came. */
static inline unsigned long inject_arm(struct inject *in, unsigned long n)
{
    unsigned long ran = __atomic_exchange_n(&in->count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&in->at, n, __ATOMIC_RELAXED);
    return ran;
}

/* One event: whether it is the one to fail. */
static inline bool inject_fails(struct inject *in)
{
    unsigned long at = __atomic_load_n(&in->at, __ATOMIC_RELAXED);
    if (!at || __atomic_add_fetch(&in->count, 1, __ATOMIC_RELAXED) != at)
        return false;
    __atomic_store_n(&in->at, 0, __ATOMIC_RELAXED);
    return true;
}

#endif
