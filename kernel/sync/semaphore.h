/* Counting semaphores (kernel/sync/semaphore.c): the wait primitive for
 * "something happened" (a thread done, a buffer filled). */
#ifndef KERNEL_SEMAPHORE_H
#define KERNEL_SEMAPHORE_H

struct thread;

struct semaphore {
    const char *name;
    unsigned count;
    struct thread *waiters;
};

void sem_init(struct semaphore *s, const char *name, unsigned count);
void sem_down(struct semaphore *s); /* wait for a unit */
void sem_up(struct semaphore *s);

#endif
