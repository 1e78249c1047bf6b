/* The runtime's lock: a word taken with an atomic exchange. A thread that
 * finds it taken sleeps a tick (IProcess::Sleep) rather than spinning, so
 * a holder of lower priority gets to run and let go. For short sections
 * (the heap, the console buffer, the export table, services' tables:
 * <rialto.h> offers it); never held across a call that may wait for
 * another thread of the process. */
#ifndef LIB_LOCK_H
#define LIB_LOCK_H

struct rt_lock {
    int held;
};

void rt_lock(struct rt_lock *l);
void rt_unlock(struct rt_lock *l);

#endif
