/* Thread stacks (see <kernel/sched/sched.h>; paper 3.4.2): auto-committed and
 * growable (both arches take a fault on a kernel stack), probed before
 * code that must not fault on it, and reclaimed below the stack pointer. */
#include <kernel/arch.h>
#include <kernel/vm/kmem.h>
#include <kernel/sched/sched.h>

static uint64_t unprobed;

bool stack_alloc(struct thread *t, bool fixed)
{
    if (fixed) {
        paddr_t p = pmem_alloc_run(THREAD_STACK_PAGES);
        if (p == PADDR_NONE)
            return false;
        t->stack_lo = (uintptr_t)phys_to_virt(p);
        t->stack_hi = t->stack_lo + THREAD_STACK_PAGES * PAGE_SIZE;
        return true;
    }
    vaddr_t base = 0; /* a guard page, never committed, then the stack */
    if (as_reserve(&kernel_as, &base, PAGE_SIZE + THREAD_STACK_RESERVE, AS_ANYWHERE) != S_OK)
        return false;
    if (as_commit(&kernel_as, base + PAGE_SIZE, THREAD_STACK_RESERVE,
                  AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO) != S_OK) {
        as_deallocate(&kernel_as, base, PAGE_SIZE + THREAD_STACK_RESERVE);
        return false;
    }
    t->stack_lo = base + PAGE_SIZE;
    t->stack_hi = t->stack_lo + THREAD_STACK_RESERVE;
    t->stack_grows = true;
    return true;
}

void stack_free(struct thread *t)
{
    if (!t->stack_grows)
        pmem_free_run(virt_to_phys((void *)t->stack_lo), THREAD_STACK_PAGES);
    else if (as_deallocate(&kernel_as, t->stack_lo - PAGE_SIZE, PAGE_SIZE + THREAD_STACK_RESERVE))
        panic("stack_free: cannot deallocate %s's stack", t->name);
}

bool stack_contains(const struct thread *t, uintptr_t va)
{
    return t && va >= t->stack_lo - PAGE_SIZE && va < t->stack_hi;
}

/* Touch the stack STACK_PROBE_DEPTH below here, unless an enclosing
 * section already did: the fault, if any, comes now, while it may. */
void stack_probe(void)
{
    struct thread *t = thread_current();
    if (!t || !t->stack_grows || t->probe_count++ > 0)
        return;
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    if (sp < t->stack_lo || sp >= t->stack_hi)
        return; /* not on its own stack: a trap */
    uintptr_t probe = sp - STACK_PROBE_DEPTH;
    if (probe >= t->stack_lo)
        (void)*(volatile char *)probe;
}

void stack_unprobe(void)
{
    struct thread *t = thread_current();
    if (t && t->stack_grows && t->probe_count > 0)
        t->probe_count--;
}

size_t stack_reclaim(struct thread *t, uintptr_t sp)
{
    if (!t->stack_grows)
        return 0;
    if (t->probe_count > 0)
        sp -= STACK_PROBE_DEPTH;
    uintptr_t end = sp & ~(uintptr_t)(PAGE_SIZE - 1);
    if (end <= t->stack_lo || end > t->stack_hi)
        return 0;
    size_t before = kernel_as.resident_pages;
    if (as_decommit(&kernel_as, t->stack_lo, end - t->stack_lo) != S_OK)
        return 0; /* no memory to split a node: try again next time */
    /* Decommitting left these pages reserved; they must be auto-commit
     * again before the thread can grow back into them. */
    if (as_commit(&kernel_as, t->stack_lo, end - t->stack_lo,
                  AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO) != S_OK)
        panic("stack_reclaim: %s's stack could not be made growable again", t->name);
    return before - kernel_as.resident_pages;
}

/* Where t's kernel stack is in use down to. A thread in user mode uses
 * none of it, but keeps the top page: on x86 the processor pushes the
 * frame of its next kernel call there on the way into ring 1. */
static uintptr_t resume_sp(struct thread *t)
{
    struct trap_frame *f = arch_thread_frame(&t->arch);
    return arch_frame_from_user(f) ? t->stack_hi - PAGE_SIZE : arch_thread_sp(&t->arch);
}

/* Each other live thread in turn is suspended (so its stack pointer
 * cannot move down meanwhile), trimmed below its stack pointer, and
 * resumed. */
size_t stack_reclaim_all(void)
{
    size_t pages = 0;
    for (struct thread *t = sched_all_threads(); t; t = t->next_all) {
        if (t == thread_current() || t->state == T_DEAD || !t->stack_grows)
            continue;
        sched_suspend(t);
        pages += stack_reclaim(t, resume_sp(t));
        sched_resume(t);
    }
    return pages;
}

uint64_t stack_unprobed_faults(void)
{
    return unprobed;
}

void stack_count_unprobed_fault(void)
{
    unprobed++;
}
