/* What the runtime's pure parts call that only a process has: the lock
 * (one thread here) and the server pool's start (counted). */
#include <lib/export.h>
#include <lib/lock.h>

int rt_test_serve_starts;

void rt_lock(struct rt_lock *l)
{
    l->held++;
}

void rt_unlock(struct rt_lock *l)
{
    l->held--;
}

SCODE rt_serve_start(void)
{
    rt_test_serve_starts++;
    return S_OK;
}
