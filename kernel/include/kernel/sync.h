/* The two exclusive locks of the paper (section 3.2.2). Preemptible code
 * takes mutexes; non-preemptible code (the VTLB functions, AS-mutation
 * functions, interrupt handlers) takes spinlocks.
 *
 * On this uniprocessor kernel a spinlock never spins: taking it disables
 * interrupts (which makes the holder non-preemptible) and asserts that it
 * was free, since a held spinlock seen by its own CPU is a bug. Mutexes
 * have no threads to block yet, so they too assert; the scheduler work
 * gives them waiting and priority inheritance behind the same calls. */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include <kernel/panic.h>
#include <stdbool.h>

struct spinlock {
    const char *name;
    bool held;
    unsigned long saved_irq; /* interrupt state to restore on unlock */
};

struct mutex {
    const char *name;
    bool held;
};

#define SPINLOCK_INIT(n)                                                                           \
    {                                                                                              \
        .name = (n)                                                                                \
    }
#define MUTEX_INIT(n)                                                                              \
    {                                                                                              \
        .name = (n)                                                                                \
    }

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_held(const struct spinlock *l);

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_held(const struct mutex *m);

#define assert_spin_held(l)  assert(spin_held(l))
#define assert_mutex_held(m) assert(mutex_held(m))

#endif
