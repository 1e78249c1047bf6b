/* Counting locks on physical frames (paper 2.3, GetPhysicalAddress): a
 * frame under DMA must not reach the page allocator while a device may
 * still write it. vm_page_free consults the locks: a locked frame's free
 * is deferred to its last unlock instead of failing, so Decommit and
 * Deallocate keep their semantics for the space and only the frame waits.
 *
 * The locks are a small table rather than a count beside every frame:
 * few frames are under DMA at once, and the table costs nothing per page
 * of RAM. Single CPU: interrupts off keep each change whole. */
#include "region.h"

#include <arch/cpu.h>
#include <kernel/vm/physmap.h>

struct frame_lock {
    paddr_t frame;         /* page aligned; PADDR_NONE: a free slot */
    uint32_t count;        /* GetPhysicalAddress calls not yet released */
    bool free_deferred;    /* its owner freed it while locked */
    uint32_t commit_flags; /* ... with these flags (the erase policy) */
};

static struct frame_lock locks[VM_FRAME_LOCKS_MAX];
static bool locks_ready;

static void init_slots(void)
{
    for (size_t i = 0; i < VM_FRAME_LOCKS_MAX; i++)
        locks[i].frame = PADDR_NONE;
    locks_ready = true;
}

/* The slot of frame, or NULL. Interrupts off. */
static struct frame_lock *find(paddr_t frame)
{
    if (!locks_ready)
        init_slots();
    for (size_t i = 0; i < VM_FRAME_LOCKS_MAX; i++) {
        if (locks[i].frame == frame)
            return &locks[i];
    }
    return 0;
}

bool frame_lock(paddr_t pa)
{
    paddr_t frame = pa & ~(paddr_t)(PAGE_SIZE - 1);
    unsigned long irq = arch_irq_save();
    struct frame_lock *l = find(frame);
    if (!l && (l = find(PADDR_NONE)))
        *l = (struct frame_lock){.frame = frame};
    if (l)
        l->count++;
    arch_irq_restore(irq);
    return l != 0;
}

SCODE frame_unlock(paddr_t pa)
{
    paddr_t frame = pa & ~(paddr_t)(PAGE_SIZE - 1);
    unsigned long irq = arch_irq_save();
    struct frame_lock *l = find(frame);
    bool free_now = false;
    uint32_t flags = 0;
    if (l && --l->count == 0) {
        free_now = l->free_deferred;
        flags = l->commit_flags;
        l->frame = PADDR_NONE;
    }
    arch_irq_restore(irq);
    if (free_now)
        vm_page_release(frame, flags);
    return l ? S_OK : VM_E_NOT_LOCKED;
}

bool frame_defer_free(paddr_t pa, uint32_t commit_flags)
{
    unsigned long irq = arch_irq_save();
    struct frame_lock *l = find(pa);
    if (l && l->count > 0) {
        l->free_deferred = true;
        l->commit_flags = commit_flags;
    }
    arch_irq_restore(irq);
    return l != 0;
}

unsigned frame_lock_count(paddr_t pa)
{
    unsigned long irq = arch_irq_save();
    struct frame_lock *l = find(pa & ~(paddr_t)(PAGE_SIZE - 1));
    unsigned n = l ? l->count : 0;
    arch_irq_restore(irq);
    return n;
}
