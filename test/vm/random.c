/* vm_random: a randomized differential test of kernel/vm against the
 * reference model of model.h. Each run draws operations from a fixed seed
 * (Reserve, Allocate, Commit, Decommit, Protect, Deallocate, Query, Map,
 * accesses by the simulated processor, VTLB flushes and removals), lets
 * the model predict success or the error codes the contract allows, and
 * after every operation checks the tree (as_check), the page counters and
 * every VTLB entry against the model. Some runs use several address
 * spaces with copy-on-write and shared mappings between them, some small
 * VTLBs (so entries are evicted), some injected allocation failures. */
#include "model.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct config {
    unsigned seed;
    unsigned nspaces;
    size_t npages; /* the window of each space */
    unsigned vtlb_entries, vtlb_ways;
    unsigned long ops;
    bool inject; /* make a random allocation of some operations fail */
};

static uint64_t rng;

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dull;
}

static size_t below(size_t n)
{
    return (size_t)(rnd() % n);
}

static bool chance(unsigned percent)
{
    return below(100) < percent;
}

/* ---- Expected results: sets of acceptable codes. When several errors
 * apply the contract does not say which one wins, so any of them is
 * accepted; with none, the operation must succeed. */
typedef uint32_t errset;

static unsigned code_bit(SCODE sc)
{
    if (((uint32_t)sc & 0xffff0000u) == 0x80aa0000u && ((uint32_t)sc & 0xffff) <= 14)
        return (uint32_t)sc & 0xffff;
    return sc == VM_E_NO_MEMORY ? 15 : sc == VM_E_NULL_POINTER ? 16 : sc == S_OK ? 0 : 31;
}

#define E(code) ((errset)1 << code_bit(code))

/* Did the injected failure (the k-th allocation) happen? Also disarms. */
static bool injected(unsigned long k)
{
    unsigned long ran = vm_fail_allocation(0);
    return k && ran >= k;
}

static void expect(struct model *m, SCODE got, errset want, bool failed_alloc)
{
    if (got == S_OK)
        m->succeeded++;
    else
        m->failed++;
    if (failed_alloc)
        MASSERT(m, got == VM_E_NO_MEMORY, "returned %#x after an injected allocation failure",
                (unsigned)got);
    else if (!want)
        MASSERT(m, got == S_OK, "returned %#x; the model expects success", (unsigned)got);
    else
        MASSERT(m, got != S_OK && (E(got) & want),
                "returned %#x; the model expects one of the codes in set %#x", (unsigned)got, want);
}

/* ---- Arguments. */
#define RW (AS_PROT_READ | AS_PROT_WRITE)
static const uint32_t good_prots[] = {
    AS_PROT_NONE,
    AS_PROT_READ,
    RW,
    RW,
    RW,
    AS_PROT_READ | AS_PROT_EXECUTE,
    AS_PROT_EXECUTE,
    RW | AS_PROT_EXECUTE,
    RW | AS_PROT_EXECUTE,
};

static uint32_t pick_prot(void)
{
    if (chance(3))
        return AS_PROT_WRITE | (chance(50) ? AS_PROT_EXECUTE : 0); /* write without read */
    return good_prots[below(sizeof good_prots / sizeof good_prots[0])];
}

static errset prot_errors(uint32_t prot)
{
    return (prot & AS_PROT_WRITE) && !(prot & AS_PROT_READ) ? E(VM_E_BAD_PROT) : 0;
}

static uint32_t pick_commit_flags(void)
{
    return (chance(30) ? AS_COMMIT_ALLOC_ZERO : 0) | (chance(30) ? AS_COMMIT_DEALLOC_NO_ERASE : 0) |
           (chance(30) ? AS_COMMIT_AUTO : 0);
}

static size_t pick_pages(void)
{
    unsigned r = (unsigned)below(100);
    return 1 + below(r < 60 ? 8 : r < 90 ? 64 : 320);
}

/* A random page, biased towards pages that are not free. */
static size_t pick_page(struct model *m, struct mspace *s)
{
    size_t i = below(m->npages);
    for (int t = 0; t < 4 && s->pages[i].state == M_FREE && chance(70); t++)
        i = below(m->npages);
    return i;
}

/* How many pages from i share its state and section, at most max. */
static size_t run_from(struct model *m, struct mspace *s, size_t i, size_t max)
{
    size_t n = 1;
    while (n < max && i + n < m->npages && s->pages[i + n].state == s->pages[i].state &&
           s->pages[i + n].sec == s->pages[i].sec)
        n++;
    return n;
}

struct range {
    vaddr_t addr;
    size_t size;
};

/* One bad argument: unaligned, zero, wrapping or outside the space. */
static void corrupt(struct model *m, struct range *r)
{
    switch (below(6)) {
    case 0:
        r->addr += 1 + below(PAGE_SIZE - 1);
        break;
    case 1:
        r->size += 1 + below(PAGE_SIZE - 1);
        break;
    case 2:
        r->size = 0;
        break;
    case 3:
        r->size = (size_t)0 - r->addr + PAGE_SIZE * (1 + below(4));
        break;
    case 4:
        r->addr = m->lo - PAGE_SIZE * (1 + below(4));
        break;
    default:
        r->addr = page_va(m, m->npages - below(3));
        r->size = PAGE_SIZE * (1 + below(8));
    }
}

/* A page of s in the given state, if a few tries find one. */
static size_t find_state(struct model *m, struct mspace *s, enum mstate state)
{
    size_t i = below(m->npages);
    for (int t = 0; t < 8 && s->pages[i].state != state; t++)
        i = below(m->npages);
    return i;
}

/* A range for an operation on reserved memory: usually the run of pages
 * like one in the state the operation acts on, or a random length;
 * sometimes Size 0 in a section, or one bad argument. */
static struct range pick_range(struct model *m, struct mspace *s, enum mstate state)
{
    size_t i = chance(60) ? find_state(m, s, state) : pick_page(m, s);
    size_t n = chance(70) ? run_from(m, s, i, pick_pages()) : pick_pages();
    struct range r = {page_va(m, i), n * PAGE_SIZE};
    if (s->pages[i].sec && chance(30))
        r.size = 0;
    if (chance(5))
        corrupt(m, &r);
    return r;
}

static errset range_args(const struct model *m, vaddr_t addr, size_t size)
{
    errset e = 0;
    if (addr % PAGE_SIZE)
        e |= E(VM_E_UNALIGNED_ADDRESS);
    if (size % PAGE_SIZE)
        e |= E(VM_E_UNALIGNED_SIZE);
    if (size == 0)
        e |= E(VM_E_ZERO_SIZE);
    else if (addr + size < addr)
        e |= E(VM_E_WRAP);
    else if (addr < m->lo || addr + size > page_va(m, m->npages))
        e |= E(VM_E_OUT_OF_RANGE);
    return e;
}

static uint32_t section_at(struct model *m, struct mspace *s, vaddr_t addr)
{
    size_t i = model_page(m, addr);
    return addr % PAGE_SIZE == 0 && i < m->npages ? s->pages[i].sec : 0;
}

static size_t section_end(const struct model *m, uint32_t sec)
{
    return m->secs[sec].base + m->secs[sec].npages;
}

/* What the pages of a well-formed range forbid for an operation. */
static errset range_semantics(struct model *m, struct mspace *s, vaddr_t addr, size_t size,
                              uint32_t sec, enum mop_kind kind)
{
    size_t i0 = model_page(m, addr), n = size / PAGE_SIZE;
    errset e = sec && i0 + n > section_end(m, sec) ? E(VM_E_SECTION_BOUNDARY) : 0;
    for (size_t i = i0; i < i0 + n; i++) {
        const struct mpage *p = &s->pages[i];
        if (p->state == M_FREE) {
            e |= E(VM_E_NOT_RESERVED);
            continue;
        }
        if (p->sec != sec)
            e |= E(VM_E_SECTION_BOUNDARY);
        if ((kind == OP_COMMIT && p->state == M_MAPPED) ||
            (kind == OP_MAP && p->state != M_RESERVED))
            e |= E(VM_E_IN_USE);
        if (kind == OP_PROTECT && p->state == M_RESERVED)
            e |= E(VM_E_NOT_COMMITTED);
    }
    return e;
}

/* ---- Operations. */

/* Reserve's errors; *at is where the pages go when it succeeds. */
static errset reserve_errors(struct model *m, struct mspace *s, struct range r, uint32_t flags,
                             size_t *at)
{
    errset e = flags & ~(uint32_t)(AS_RESERVE_SECTION | AS_ANYWHERE) ? E(VM_E_BAD_FLAGS) : 0;
    if (flags & AS_ANYWHERE) {
        e |= (r.size % PAGE_SIZE ? E(VM_E_UNALIGNED_SIZE) : 0) |
             (r.size == 0 ? E(VM_E_ZERO_SIZE) : 0);
        if (e)
            return e;
        *at = model_find_free(m, s, r.size / PAGE_SIZE);
        return *at == m->npages ? E(VM_E_NO_ADDRESS_SPACE) : 0;
    }
    if ((e |= range_args(m, r.addr, r.size)))
        return e;
    *at = model_page(m, r.addr);
    for (size_t i = *at; i < *at + r.size / PAGE_SIZE; i++) {
        if (s->pages[i].state != M_FREE)
            return E(VM_E_IN_USE);
    }
    return 0;
}

static uint32_t pick_reserve_flags(void)
{
    return (chance(35) ? AS_ANYWHERE : 0) | (chance(30) ? AS_RESERVE_SECTION : 0) |
           (chance(2) ? 0x80000000u : 0);
}

static void apply_reservation(struct model *m, struct mspace *s, size_t at, size_t n,
                              uint32_t flags)
{
    struct mop op = {.kind = OP_RESERVE};
    if (flags & AS_RESERVE_SECTION)
        op.sec = model_new_section(m, at, n);
    model_apply(m, s, at, n, &op);
}

/* Reserve (allocate: false) or Allocate (true). */
static void op_reserve(struct model *m, struct mspace *s, unsigned long k, bool allocate)
{
    uint32_t flags = pick_reserve_flags(), more = 0;
    struct range r = {page_va(m, below(m->npages)), pick_pages() * PAGE_SIZE};
    if (chance(5))
        corrupt(m, &r);
    if (allocate)
        more = pick_prot() | pick_commit_flags();
    size_t at = 0;
    errset want = prot_errors(more) | reserve_errors(m, s, r, flags, &at);
    vaddr_t addr = flags & AS_ANYWHERE ? (vaddr_t)rnd() : r.addr, *pa = &addr;
    if (chance(1)) {
        pa = NULL;
        want = E(VM_E_NULL_POINTER);
    }
    snprintf(m->what, sizeof m->what, "%s %s %#lx+%#zx flags %#x",
             allocate ? "allocate" : "reserve", s->as.name, (unsigned long)addr, r.size,
             flags | more);
    SCODE sc = allocate ? as_allocate(&s->as, pa, r.size, flags | more)
                        : as_reserve(&s->as, pa, r.size, flags);
    bool failed = injected(k);
    expect(m, sc, want, failed);
    if (sc == S_OK) {
        MASSERT(m, addr == page_va(m, at), "placed at %#lx, the model says %#lx",
                (unsigned long)addr, (unsigned long)page_va(m, at));
        apply_reservation(m, s, at, r.size / PAGE_SIZE, flags);
        struct mop commit = {
            .kind = OP_COMMIT, .prot = more & AS_PROT_MASK, .flags = more & AS_COMMIT_MASK};
        if (allocate)
            model_apply(m, s, at, r.size / PAGE_SIZE, &commit);
    } else if (failed) { /* failure-atomic: nothing changed */
        model_check_query_map(m, s);
    }
}

static const char *const op_names[] = {"reserve", "commit",     "decommit",
                                       "protect", "deallocate", "map"};

/* Deallocate's errors: a section only whole, from its base. */
static errset deallocate_errors(struct model *m, struct mspace *s, vaddr_t addr, size_t *size)
{
    if (addr % PAGE_SIZE)
        return E(VM_E_UNALIGNED_ADDRESS);
    uint32_t sec = section_at(m, s, addr);
    if (sec) {
        size_t whole = m->secs[sec].npages * PAGE_SIZE;
        if (model_page(m, addr) != m->secs[sec].base)
            return E(VM_E_NOT_SECTION_BASE);
        if (*size != 0 && *size != whole)
            return E(VM_E_SECTION_BOUNDARY) | range_args(m, addr, *size);
        *size = whole;
        return 0;
    }
    errset e = range_args(m, addr, *size);
    return e ? e : range_semantics(m, s, addr, *size, 0, OP_DEALLOCATE);
}

/* Size 0 resolved, then the errors of Commit, Decommit or Protect. */
static errset range_op_errors(struct model *m, struct mspace *s, const struct mop *op, vaddr_t addr,
                              size_t *size)
{
    if (op->kind == OP_DEALLOCATE)
        return deallocate_errors(m, s, addr, size);
    errset e = 0;
    if (op->kind == OP_COMMIT || op->kind == OP_PROTECT) {
        uint32_t allowed = AS_PROT_MASK | (op->kind == OP_COMMIT ? AS_COMMIT_MASK : 0);
        e = prot_errors(op->prot) | ((op->prot | op->flags) & ~allowed ? E(VM_E_BAD_FLAGS) : 0);
    }
    uint32_t sec = section_at(m, s, addr);
    if (*size == 0 && sec)
        *size = (section_end(m, sec) - model_page(m, addr)) * PAGE_SIZE;
    if ((e |= range_args(m, addr, *size)))
        return e;
    return range_semantics(m, s, addr, *size, sec, op->kind);
}

static SCODE call_range_op(struct mspace *s, const struct mop *op, struct range r)
{
    switch (op->kind) {
    case OP_COMMIT:
        return as_commit(&s->as, r.addr, r.size, op->prot | op->flags);
    case OP_DECOMMIT:
        return as_decommit(&s->as, r.addr, r.size);
    case OP_PROTECT:
        return as_protect(&s->as, r.addr, r.size, op->prot | op->flags);
    default:
        return as_deallocate(&s->as, r.addr, r.size);
    }
}

/* A Deallocate names a section by its base half of the time. */
static struct range pick_deallocate_range(struct model *m, struct mspace *s)
{
    struct range r = pick_range(m, s, chance(50) ? M_RESERVED : M_COMMITTED);
    uint32_t sec = section_at(m, s, r.addr);
    if (sec && chance(50)) {
        r.addr = page_va(m, m->secs[sec].base);
        r.size = chance(50) ? 0 : m->secs[sec].npages * PAGE_SIZE;
    }
    return r;
}

/* Commit, Decommit, Protect or Deallocate: not failure-atomic, so on any
 * error the model takes what each page of the range shows. */
static void op_range(struct model *m, struct mspace *s, unsigned long k, enum mop_kind kind)
{
    struct mop op = {.kind = kind};
    if (kind == OP_COMMIT || kind == OP_PROTECT) {
        op.prot = pick_prot();
        op.flags = kind == OP_COMMIT ? pick_commit_flags() : 0;
        if (chance(2))
            op.flags |= kind == OP_COMMIT ? AS_RESERVE_SECTION : AS_COMMIT_AUTO; /* misplaced */
    }
    struct range r = kind == OP_DEALLOCATE ? pick_deallocate_range(m, s)
                     : kind == OP_COMMIT   ? pick_range(m, s, M_RESERVED)
                     : chance(80)          ? pick_range(m, s, M_COMMITTED)
                                           : pick_range(m, s, M_MAPPED);
    size_t size = r.size;
    errset want = range_op_errors(m, s, &op, r.addr, &size);
    snprintf(m->what, sizeof m->what, "%s %s %#lx+%#zx prot %#x flags %#x", op_names[kind],
             s->as.name, (unsigned long)r.addr, r.size, op.prot, op.flags);
    SCODE sc = call_range_op(s, &op, r);
    bool failed = injected(k);
    expect(m, sc, want, failed);
    size_t i0 = model_page(m, r.addr), n = size / PAGE_SIZE;
    op.flags &= AS_COMMIT_MASK;
    if (sc == S_OK)
        model_apply(m, s, i0, n, &op);
    else if (!range_args(m, r.addr, size))
        model_settle(m, s, i0, n, &op);
}

static errset map_errors(struct model *m, struct mspace *s, struct mspace *src, uint32_t flags,
                         struct range r, vaddr_t src_addr, size_t *at)
{
    vaddr_t hi = page_va(m, m->npages);
    errset e = prot_errors(flags & AS_PROT_MASK);
    if (src == s || src_addr % PAGE_SIZE || r.size == 0 || src_addr + r.size < src_addr ||
        src_addr < m->lo || src_addr + r.size > hi)
        return e | E(VM_E_BAD_SOURCE);
    if (flags & AS_ANYWHERE)
        return e | reserve_errors(m, s, r, AS_ANYWHERE, at);
    *at = model_page(m, r.addr);
    if ((e |= range_args(m, r.addr, r.size)))
        return e;
    return range_semantics(m, s, r.addr, r.size, section_at(m, s, r.addr), OP_MAP);
}

/* Map part of another space, copy-on-write or shared. */
static void op_map(struct model *m, struct mspace *s, unsigned long k)
{
    unsigned t = (s->index + 1 + (unsigned)below(m->nspaces - 1)) % m->nspaces;
    struct mspace *src = &m->sp[chance(2) ? s->index : t];
    uint32_t flags = pick_prot() | (chance(70) ? AS_MAP_COPY_ON_WRITE : 0) |
                     (chance(30) ? AS_MAP_NO_EXCEPTION : 0) | (chance(40) ? AS_ANYWHERE : 0);
    size_t i = find_state(m, s, M_RESERVED), j = find_state(m, src, M_COMMITTED);
    struct range r = {page_va(m, i), run_from(m, s, i, pick_pages()) * PAGE_SIZE};
    j -= j > 2 ? below(3) : 0;
    vaddr_t src_addr = page_va(m, j);
    if (chance(5))
        corrupt(m, &r);
    if (chance(2))
        src_addr += chance(50) ? 1 : m->npages * PAGE_SIZE;
    size_t at = 0;
    errset want = map_errors(m, s, src, flags, r, src_addr, &at);
    vaddr_t addr = r.addr;
    snprintf(m->what, sizeof m->what, "map %s %#lx+%#zx flags %#x from %s %#lx", s->as.name,
             (unsigned long)addr, r.size, flags, src->as.name, (unsigned long)src_addr);
    SCODE sc = as_map_range(&s->as, &addr, r.size, flags, &src->as, src_addr);
    bool failed = injected(k);
    expect(m, sc, want, failed);
    struct mop op = {.kind = OP_MAP,
                     .prot = flags & AS_PROT_MASK,
                     .flags = flags & (AS_MAP_COPY_ON_WRITE | AS_MAP_NO_EXCEPTION),
                     .src = src->index,
                     .src_page0 = model_page(m, src_addr),
                     .page0 = at};
    if (sc == S_OK) {
        MASSERT(m, addr == page_va(m, at), "mapped at %#lx, the model says %#lx",
                (unsigned long)addr, (unsigned long)page_va(m, at));
        if (flags & AS_ANYWHERE)
            apply_reservation(m, s, at, r.size / PAGE_SIZE, 0);
        model_apply(m, s, at, r.size / PAGE_SIZE, &op);
    } else if (flags & AS_ANYWHERE) { /* what it reserved is gone again */
        model_check_query_map(m, s);
    } else { /* like Commit, it may have mapped a part */
        model_settle(m, s, at, r.size / PAGE_SIZE, &op);
    }
}

static void op_query(struct model *m, struct mspace *s)
{
    vaddr_t va = page_va(m, below(m->npages)) + below(PAGE_SIZE);
    snprintf(m->what, sizeof m->what, "query %s %#lx", s->as.name, (unsigned long)va);
    if (chance(2)) {
        ADDR_REGION_INFO info;
        vaddr_t out = chance(50) ? m->lo - 1 : page_va(m, m->npages) + below(PAGE_SIZE);
        MASSERT(m, as_query(&s->as, out, &info) == VM_E_OUT_OF_RANGE, "outside the space");
        MASSERT(m, as_query(&s->as, va, NULL) == VM_E_NULL_POINTER, "NULL info");
        return;
    }
    model_check_query(m, s, va);
}

static void op_access(struct model *m, struct mspace *s, unsigned long k)
{
    static const uint32_t kinds[] = {AS_PROT_READ, AS_PROT_READ, AS_PROT_WRITE, AS_PROT_WRITE,
                                     AS_PROT_EXECUTE};
    static size_t hot[M_SPACES_MAX][8]; /* pages that worked lately: the VTLB may hit */
    unsigned r = (unsigned)below(100);
    size_t i = r < 40   ? hot[s->index][below(8)]
               : r < 60 ? find_state(m, s, M_COMMITTED)
               : r < 75 ? find_state(m, s, M_MAPPED)
                        : pick_page(m, s);
    unsigned long done = m->accesses_ok;
    vaddr_t va = page_va(m, i) + below(PAGE_SIZE);
    if (chance(1))
        va = chance(50) ? m->lo - 1 - below(PAGE_SIZE) : page_va(m, m->npages) + below(PAGE_SIZE);
    uint32_t access = kinds[below(5)];
    snprintf(m->what, sizeof m->what, "access %#x %s %#lx", access, s->as.name, (unsigned long)va);
    model_access(m, s, va, access, k);
    if (m->accesses_ok > done)
        hot[s->index][below(8)] = i;
}

/* The VTLB may drop anything at any time. */
static void op_vtlb(struct model *m, struct mspace *s, const struct config *c)
{
    snprintf(m->what, sizeof m->what, "vtlb %s", s->as.name);
    unsigned r = (unsigned)below(20);
    if (r == 0)
        vtlb_soft_configure(c->vtlb_entries, c->vtlb_ways);
    else if (r < 8)
        vtlb_flush(&s->as);
    else
        vtlb_remove(&s->as, page_va(m, pick_page(m, s)), pick_pages() * PAGE_SIZE);
}

static void op_recreate(struct model *m, struct mspace *s)
{
    snprintf(m->what, sizeof m->what, "destroy and recreate %s", s->as.name);
    model_recreate(m, s->index);
}

/* One random operation on space s; k: the allocation to fail, or 0. */
static void one_op(struct model *m, struct mspace *s, unsigned long k, const struct config *c)
{
    unsigned r = (unsigned)below(1000);
    if (r < 90)
        op_reserve(m, s, k, false);
    else if (r < 150)
        op_reserve(m, s, k, true);
    else if (r < 280)
        op_range(m, s, k, OP_COMMIT);
    else if (r < 340)
        op_range(m, s, k, OP_DECOMMIT);
    else if (r < 420)
        op_range(m, s, k, OP_PROTECT);
    else if (r < 490)
        op_range(m, s, k, OP_DEALLOCATE);
    else if (r < 550)
        op_query(m, s);
    else if (r < 590)
        op_vtlb(m, s, c);
    else if (r < 650 && m->nspaces > 1)
        op_map(m, s, k);
    else if (r == 650 && m->nspaces > 1)
        op_recreate(m, s);
    else
        op_access(m, s, k);
}

/* A crash (panic, failed as_check) aborts: say where. */
static const struct model *running;

static void put(const char *s)
{
    ssize_t n = write(2, s, strlen(s));
    (void)n;
}

static void put_number(unsigned long v)
{
    char b[24], *p = b + sizeof b;
    *--p = 0;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    put(p);
}

static void on_abort(int sig)
{
    (void)sig;
    if (!running)
        return;
    put("vm_random: aborted at seed ");
    put_number(running->seed);
    put(" op ");
    put_number(running->op);
    put(" [");
    put(running->what);
    put("]\n");
}

static void check_all(struct model *m)
{
    for (unsigned s = 0; s < m->nspaces; s++) {
        model_check_counters(m, &m->sp[s]);
        if (m->op % 512 == 0)
            model_check_query_map(m, &m->sp[s]);
    }
    model_check_vtlb(m);
}

/* One line per seed: what the run exercised. */
static void report(const struct model *m)
{
    struct vm_page_stats p;
    struct vtlb_soft_stats v;
    vm_get_page_stats(&p);
    vtlb_soft_get_stats(&v);
    fprintf(stderr,
            "vm_random: seed %u: %lu operations succeeded, %lu failed (%lu pages settled); "
            "%lu of %lu accesses completed; %llu copy-on-write, %llu auto-commit faults; "
            "pages zeroed %llu, erased %llu, unerased %llu; VTLB %llu hits, %llu misses, %llu "
            "evictions\n",
            m->seed, m->succeeded, m->failed, m->settled, m->accesses_ok, m->accesses,
            (unsigned long long)p.cow_copies, (unsigned long long)p.autocommit_pages,
            (unsigned long long)p.pages_zero_filled, (unsigned long long)p.pages_erased,
            (unsigned long long)p.pages_unerased, (unsigned long long)v.hits,
            (unsigned long long)v.misses, (unsigned long long)v.evictions);
}

static void run(const struct config *c)
{
    fprintf(stderr, "vm_random: seed %u: %lu operations, %u space(s) of %zu pages, VTLB %ux%u%s\n",
            c->seed, c->ops, c->nspaces, c->npages, c->vtlb_entries, c->vtlb_ways,
            c->inject ? ", injected allocation failures" : "");
    rng = 0x9e3779b97f4a7c15ull * (c->seed + 1);
    vtlb_soft_configure(c->vtlb_entries, c->vtlb_ways);
    size_t free0 = vm_free_pages();
    static struct model m;
    model_init(&m, c->seed, c->nspaces, c->npages);
    running = &m;
    signal(SIGABRT, on_abort);
    for (m.op = 0; m.op < c->ops; m.op++) {
        struct mspace *s = &m.sp[below(m.nspaces)];
        unsigned long k = c->inject && chance(10) ? 1 + below(6) : 0;
        vm_fail_allocation(k);
        one_op(&m, s, k, c);
        vm_fail_allocation(0);
        check_all(&m);
    }
    for (unsigned s = 0; s < m.nspaces; s++)
        model_check_query_map(&m, &m.sp[s]);
    report(&m);
    snprintf(m.what, sizeof m.what, "destroy every space");
    model_fini(&m);
    running = NULL;
    cr_assert_eq(vm_free_pages(), free0, "seed %u: pages leaked", c->seed);
    cr_assert_eq(vmtest_heap.pages, 0, "seed %u: heap pages leaked", c->seed);
    cr_assert_eq(vmtest_heap.bytes, 0, "seed %u: heap bytes leaked", c->seed);
}

TestSuite(vm_random, .init = vmtest_init, .fini = vmtest_fini, .timeout = 60);

Test(vm_random, one_space_tiny_vtlb)
{
    run(&(struct config){
        .seed = 1, .nspaces = 1, .npages = 2048, .vtlb_entries = 16, .vtlb_ways = 2, .ops = 50000});
}

Test(vm_random, one_space_small_vtlb)
{
    run(&(struct config){
        .seed = 2, .nspaces = 1, .npages = 512, .vtlb_entries = 64, .vtlb_ways = 4, .ops = 50000});
}

Test(vm_random, one_space_full_vtlb)
{
    run(&(struct config){.seed = 3,
                         .nspaces = 1,
                         .npages = 1024,
                         .vtlb_entries = 512,
                         .vtlb_ways = 2,
                         .ops = 40000});
}

Test(vm_random, three_spaces_mapping)
{
    run(&(struct config){
        .seed = 4, .nspaces = 3, .npages = 1024, .vtlb_entries = 64, .vtlb_ways = 4, .ops = 50000});
}

Test(vm_random, two_spaces_tiny_vtlb)
{
    run(&(struct config){
        .seed = 5, .nspaces = 2, .npages = 768, .vtlb_entries = 16, .vtlb_ways = 2, .ops = 40000});
}

Test(vm_random, three_spaces_failing_allocations)
{
    run(&(struct config){.seed = 6,
                         .nspaces = 3,
                         .npages = 1024,
                         .vtlb_entries = 128,
                         .vtlb_ways = 2,
                         .ops = 40000,
                         .inject = true});
}
