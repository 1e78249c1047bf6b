/* The two exclusive locks of the paper (section 3.2.2). Preemptible code
 * takes mutexes; non-preemptible code (the VTLB functions, AS-mutation
 * functions, interrupt handlers) takes spinlocks.
 *
 * On this uniprocessor kernel a spinlock never spins: taking it disables
 * interrupts and enters a non-preemptible section of the lock's kind
 * (<kernel/sched/np.h>), and asserts that it was free, since a held spinlock
 * seen by its own CPU is a bug. Mutexes block, with priority inheritance
 * through chains of owners (kernel/sync/mutex.c, semaphore.c); the host tests have an
 * asserting double (test/doubles/mutex.c). */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include <kernel/sched/np.h>
#include <kernel/panic.h>
#include <stdbool.h>

struct thread;

struct spinlock {
    const char *name;
    bool held;
    enum np_kind kind;       /* what its holders count as */
    unsigned long saved_irq; /* interrupt state to restore on unlock */
};

struct mutex {
    const char *name;
    struct thread *owner;    /* NULL when free */
    struct thread *waiters;  /* by priority, highest first */
    struct mutex *next_held; /* in the owner's list of held mutexes */
};

#define SPINLOCK_INIT(n, k)                                                                        \
    {                                                                                              \
        .name = (n), .kind = (k)                                                                   \
    }
#define MUTEX_INIT(n)                                                                              \
    {                                                                                              \
        .name = (n)                                                                                \
    }

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_held(const struct spinlock *l);
/* The same lock held for a few dozen instructions on a hot path (the
 * kernel call's handle lookup): interrupts off and the same assertions,
 * but the section is not timed, which would cost more than it holds. */
void spin_lock_brief(struct spinlock *l);
void spin_unlock_brief(struct spinlock *l);

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
/* Held by the calling thread (before threads exist: held at all). */
bool mutex_held(const struct mutex *m);

#define assert_spin_held(l)  assert(spin_held(l))
#define assert_mutex_held(m) assert(mutex_held(m))

#endif
