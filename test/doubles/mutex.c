/* Host double of the kernel's mutexes: no threads, so taking a held mutex
 * is a bug and panics (aborts), as does releasing a free one. Non-
 * preemptible sections only count their depth. */
#include <kernel/sync/lock.h>

static struct thread *const host_thread = (struct thread *)&host_thread;
static int depth;

void mutex_lock(struct mutex *m)
{
    if (m->owner)
        panic("mutex %s taken twice (no threads to wait for it on the host)", m->name);
    m->owner = host_thread;
}

void mutex_unlock(struct mutex *m)
{
    if (!m->owner)
        panic("mutex %s released but not held", m->name);
    m->owner = 0;
}

bool mutex_held(const struct mutex *m)
{
    return m->owner != 0;
}

void np_enter(enum np_kind kind)
{
    (void)kind;
    depth++;
}

void np_exit(enum np_kind kind)
{
    (void)kind;
    if (depth-- <= 0)
        panic("np_exit without np_enter");
}

bool np_active(void)
{
    return depth > 0;
}

int np_depth(void)
{
    return depth;
}

void stack_probe(void) {}

void stack_unprobe(void) {}
