/* The runtime's lock (see lock.h). */
#include "lock.h"
#include <rialto.h>

void rt_lock(struct rt_lock *l)
{
    while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
        IProcess_Sleep(CurrentProcess(), 1);
}

void rt_unlock(struct rt_lock *l)
{
    __atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

uint64_t TimeMs(void)
{
    uint64_t ms = 0;
    IProcess_GetTime(CurrentProcess(), &ms);
    return ms;
}
