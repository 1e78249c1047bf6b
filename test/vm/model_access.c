/* The vm_random suite: one access by the simulated processor, predicted
 * by the model (which faults it takes, what it ends in) and then checked,
 * contents included. */
#include "model.h"

#include <criterion/criterion.h>

struct prediction {
    bool ok;
    enum vm_exception reason;
    bool no_memory;    /* fault resolution ran out (injected) */
    bool scratch;      /* the scratch page (a no-exception mapping) */
    struct mspace *bs; /* the page whose contents the access sees */
    size_t bi;
};

static struct prediction exception(enum vm_exception why)
{
    return (struct prediction){.reason = why};
}

/* Allocation number *n of this access; false if it is the injected
 * failure. */
static bool allocates(unsigned long *n, unsigned long fail_k)
{
    return ++*n != fail_k;
}

static void make_resident(struct mspace *s, size_t i)
{
    s->pages[i].resident = true;
    s->resident++;
}

/* An exception, or the scratch page under a no-exception link. */
static struct prediction invalid(const struct mchain *c, enum vm_exception why)
{
    return (struct prediction){.ok = c->no_exception, .reason = why, .scratch = c->no_exception};
}

/* A mapped page without a private copy: what the chain of sources gives.
 * Faults in order: the auto-commit of the page reached, then the copy at
 * the first copy-on-write link. */
static struct prediction through_source(struct model *m, struct mspace *s, size_t i,
                                        uint32_t access, unsigned long fail_k)
{
    struct mchain c;
    model_chain(m, s, i, access, &c);
    unsigned long n = 0;
    if (!c.bs)
        return invalid(&c, VMX_SOURCE_INVALID);
    struct mpage *q = &c.bs->pages[c.bi];
    if (!q->resident) {
        if (!allocates(&n, fail_k))
            return (struct prediction){.no_memory = true};
        make_resident(c.bs, c.bi);
    }
    if (c.cow_s) {
        if (!allocates(&n, fail_k))
            return (struct prediction){.no_memory = true};
        struct mpage *p = &c.cow_s->pages[c.cow_i];
        make_resident(c.cow_s, c.cow_i);
        p->content = q->content;
        p->stamp = q->stamp;
        return (struct prediction){.ok = true, .bs = c.cow_s, .bi = c.cow_i};
    }
    if (!(c.prot & access))
        return invalid(&c, VMX_PROTECTION);
    return (struct prediction){.ok = true, .bs = c.bs, .bi = c.bi};
}

static struct prediction predict(struct model *m, struct mspace *s, size_t i, uint32_t access,
                                 unsigned long fail_k)
{
    struct mpage *p = &s->pages[i];
    if (p->state == M_FREE)
        return exception(VMX_FREE);
    if (p->state == M_RESERVED)
        return exception(VMX_RESERVED);
    if (!(p->prot & access))
        return exception(VMX_PROTECTION);
    if (p->state == M_MAPPED && !p->resident)
        return through_source(m, s, i, access, fail_k);
    unsigned long n = 0;
    if (!p->resident) { /* auto-commit */
        if (!allocates(&n, fail_k))
            return (struct prediction){.no_memory = true};
        make_resident(s, i);
    }
    return (struct prediction){.ok = true, .bs = s, .bi = i};
}

void model_access(struct model *m, struct mspace *s, vaddr_t va, uint32_t access,
                  unsigned long fail_k)
{
    size_t i = model_page(m, va);
    struct prediction want = i < m->npages ? predict(m, s, i, access, fail_k) : exception(VMX_FREE);
    struct access got = vm_access(&s->as, va, access);
    MASSERT(m, got.ok == want.ok && got.reason == want.reason,
            "access %#x to %#lx in %s: got %s (%s), the model says %s (%s)", access,
            (unsigned long)va, s->as.name, got.ok ? "ok" : "no", vm_exception_name(got.reason),
            want.ok ? "ok" : "no", vm_exception_name(want.reason));
    MASSERT(m, (got.fault_error == VM_E_NO_MEMORY) == want.no_memory,
            "access %#x to %#lx: fault resolution returned %#x", access, (unsigned long)va,
            (unsigned)got.fault_error);
    m->accesses++;
    if (!got.ok)
        return;
    bool scratch = got.pa - VTLB_SOFT_SCRATCH_PA < PAGE_SIZE;
    MASSERT(m, scratch == want.scratch, "access %#x to %#lx: %s the scratch page (%#lx)", access,
            (unsigned long)va, want.scratch ? "expected" : "not expected", (unsigned long)got.pa);
    if (scratch)
        return;
    m->accesses_ok++;
    uint8_t *page = phys_to_virt(got.pa & ~(paddr_t)(PAGE_SIZE - 1));
    struct mpage *bp = &want.bs->pages[want.bi];
    content_check(m, page, bp);
    if (access == AS_PROT_WRITE) /* a private copy is always erased when freed */
        content_write(m, page, bp,
                      bp->state == M_COMMITTED && (bp->flags & AS_COMMIT_DEALLOC_NO_ERASE));
}
