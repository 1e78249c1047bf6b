/* Events: something that happens once (a process finished, a thread
 * exited). Waiting blocks until it has happened and returns at once after
 * that; setting it wakes every waiter. Built on a semaphore, with the
 * check and the count of waiters in one scheduler section, so a waiter
 * that comes as the event is set neither misses it nor waits forever. */
#ifndef KERNEL_SYNC_EVENT_H
#define KERNEL_SYNC_EVENT_H

#include <kernel/sync/semaphore.h>
#include <stdbool.h>

struct event {
    bool set;
    unsigned waiters;
    struct semaphore sem;
};

void event_init(struct event *e, const char *name);
void event_wait(struct event *e);
void event_set(struct event *e);

static inline bool event_is_set(const struct event *e)
{
    return e->set;
}

#endif
