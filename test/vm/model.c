/* The vm_random suite's reference model (see model.h). */
#include "model.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_LO   0x200000u
#define STAMP_MAGIC 0x57a3b00cu

static const char *const space_names[M_SPACES_MAX] = {"r0", "r1", "r2"};

void model_init(struct model *m, unsigned seed, unsigned nspaces, size_t npages)
{
    *m = (struct model){.seed = seed, .lo = WINDOW_LO, .npages = npages, .nspaces = nspaces};
    m->secs_cap = 64;
    m->secs = calloc(m->secs_cap, sizeof *m->secs);
    m->nsecs = 1; /* id 0 means "no section" */
    for (unsigned s = 0; s < nspaces; s++) {
        struct mspace *sp = &m->sp[s];
        sp->index = s;
        sp->pages = calloc(npages, sizeof *sp->pages);
        cr_assert_not_null(sp->pages);
        as_init(&sp->as, space_names[s], m->lo, page_va(m, npages), &vmtest_heap);
    }
    snprintf(m->what, sizeof m->what, "init");
}

void model_fini(struct model *m)
{
    for (unsigned s = 0; s < m->nspaces; s++) {
        as_destroy(&m->sp[s].as);
        free(m->sp[s].pages);
    }
    free(m->secs);
}

/* Replace page i, keeping the space's counters in step. */
static void set_page(struct mspace *s, size_t i, const struct mpage *p)
{
    struct mpage *old = &s->pages[i];
    s->reserved += (p->state != M_FREE) - (old->state != M_FREE);
    s->committed += (p->state == M_COMMITTED) - (old->state == M_COMMITTED);
    s->resident += p->resident - old->resident;
    *old = *p;
}

void model_recreate(struct model *m, unsigned s)
{
    struct mspace *sp = &m->sp[s];
    as_destroy(&sp->as);
    for (size_t i = 0; i < m->npages; i++)
        set_page(sp, i, &(struct mpage){0});
    sp->gen++;
    as_init(&sp->as, space_names[s], m->lo, page_va(m, m->npages), &vmtest_heap);
}

size_t model_page(const struct model *m, vaddr_t va)
{
    if (va < m->lo || va >= page_va(m, m->npages))
        return m->npages;
    return (va - m->lo) / PAGE_SIZE;
}

uint32_t model_new_section(struct model *m, size_t base, size_t npages)
{
    if (m->nsecs == m->secs_cap) {
        m->secs_cap *= 2;
        m->secs = realloc(m->secs, m->secs_cap * sizeof *m->secs);
        cr_assert_not_null(m->secs);
    }
    m->secs[m->nsecs] = (struct msection){base, npages};
    return (uint32_t)m->nsecs++;
}

/* A page newly committed (or auto-committed on first touch) holds zeros
 * if asked for, else erased or reused no-erase memory. */
static uint8_t fresh_content(uint32_t flags)
{
    return flags & AS_COMMIT_ALLOC_ZERO ? C_ZERO : C_UNKNOWN;
}

static struct mpage applied(struct model *m, const struct mpage *old, size_t i,
                            const struct mop *op)
{
    struct mpage p = *old;
    switch (op->kind) {
    case OP_RESERVE:
        p = (struct mpage){.state = M_RESERVED, .sec = op->sec};
        break;
    case OP_COMMIT: /* pages already committed keep what they have */
        if (p.state == M_RESERVED)
            p = (struct mpage){.state = M_COMMITTED,
                               .sec = p.sec,
                               .prot = (uint8_t)op->prot,
                               .flags = op->flags,
                               .resident = !(op->flags & AS_COMMIT_AUTO),
                               .content = fresh_content(op->flags)};
        break;
    case OP_DECOMMIT:
        if (p.state != M_FREE)
            p = (struct mpage){.state = M_RESERVED, .sec = p.sec};
        break;
    case OP_PROTECT:
        if (p.state == M_COMMITTED || p.state == M_MAPPED)
            p.prot = (uint8_t)op->prot;
        break;
    case OP_DEALLOCATE:
        p = (struct mpage){0};
        break;
    case OP_MAP:
        if (p.state == M_RESERVED)
            p = (struct mpage){.state = M_MAPPED,
                               .sec = p.sec,
                               .prot = (uint8_t)op->prot,
                               .flags = op->flags,
                               .src = (uint8_t)op->src,
                               .src_gen = m->sp[op->src].gen,
                               .src_page = (uint32_t)(op->src_page0 + (i - op->page0))};
        break;
    }
    return p;
}

void model_apply_page(struct model *m, struct mspace *s, size_t i, const struct mop *op)
{
    struct mpage p = applied(m, &s->pages[i], i, op);
    set_page(s, i, &p);
}

void model_apply(struct model *m, struct mspace *s, size_t i0, size_t n, const struct mop *op)
{
    for (size_t i = i0; i < i0 + n && i < m->npages; i++)
        model_apply_page(m, s, i, op);
}

/* What Query tells apart: state, protection, type and section. */
struct mkey {
    uint32_t state, prot, type;
};

static struct mkey key_of(const struct mpage *p)
{
    switch (p->state) {
    case M_RESERVED:
        return (struct mkey){AS_STATE_RESERVED, AS_PROT_NONE, AS_TYPE_PRIVATE};
    case M_COMMITTED:
        return (struct mkey){AS_STATE_COMMITTED, p->prot, AS_TYPE_PRIVATE};
    case M_MAPPED:
        return (struct mkey){AS_STATE_COMMITTED, p->prot, AS_TYPE_MAPPED};
    }
    return (struct mkey){AS_STATE_FREE, AS_PROT_NONE, AS_TYPE_NONE};
}

static bool same_key(struct mkey a, struct mkey b)
{
    return a.state == b.state && a.prot == b.prot && a.type == b.type;
}

void model_settle(struct model *m, struct mspace *s, size_t i0, size_t n, const struct mop *op)
{
    for (size_t i = i0; i < i0 + n && i < m->npages; i++) {
        ADDR_REGION_INFO info;
        MASSERT(m, as_query(&s->as, page_va(m, i), &info) == S_OK, "query");
        struct mkey got = {info.State, info.Prot, info.Type};
        struct mpage after = applied(m, &s->pages[i], i, op);
        if (same_key(got, key_of(&s->pages[i])))
            continue;
        MASSERT(m, same_key(got, key_of(&after)),
                "failed operation left page %#lx in state %u prot %#x type %u, neither before "
                "nor after",
                (unsigned long)page_va(m, i), got.state, got.prot, got.type);
        set_page(s, i, &after);
        m->settled++;
    }
}

size_t model_find_free(const struct model *m, const struct mspace *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < m->npages; i++) {
        run = s->pages[i].state == M_FREE ? run + 1 : 0;
        if (run == n)
            return i + 1 - n;
    }
    return m->npages;
}

/* Page-oriented memory: the first page of the run of non-free pages
 * outside sections. */
static size_t reservation_base(const struct model *m, const struct mspace *s, size_t i)
{
    const struct mpage *p = &s->pages[i];
    if (p->sec)
        return m->secs[p->sec].base;
    while (i > 0 && s->pages[i - 1].state != M_FREE && !s->pages[i - 1].sec)
        i--;
    return i;
}

ADDR_REGION_INFO model_query(const struct model *m, const struct mspace *s, size_t i)
{
    const struct mpage *p = &s->pages[i];
    struct mkey k = key_of(p);
    size_t end = i + 1;
    while (end < m->npages && same_key(key_of(&s->pages[end]), k) && s->pages[end].sec == p->sec)
        end++;
    return (ADDR_REGION_INFO){
        .Base = page_va(m, i),
        .Size = (end - i) * PAGE_SIZE,
        .ReservationBase = p->state == M_FREE ? 0 : page_va(m, reservation_base(m, s, i)),
        .State = k.state,
        .Prot = k.prot,
        .Type = k.type,
    };
}

struct mspace *model_source(struct model *m, const struct mpage *p)
{
    struct mspace *src = &m->sp[p->src];
    return src->gen == p->src_gen ? src : NULL;
}

void model_chain(struct model *m, struct mspace *s, size_t i, uint32_t access, struct mchain *c)
{
    *c = (struct mchain){.prot = s->pages[i].prot};
    struct mspace *x = s;
    for (unsigned depth = 0; depth < VM_MAP_CHAIN_MAX; depth++) {
        const struct mpage *p = &x->pages[i];
        c->no_exception |= (p->flags & AS_MAP_NO_EXCEPTION) != 0;
        if (p->flags & AS_MAP_COPY_ON_WRITE) {
            if (access == AS_PROT_WRITE && !c->cow_s && (c->prot & AS_PROT_WRITE))
                c->cow_s = x, c->cow_i = i;
            c->prot &= ~(uint32_t)AS_PROT_WRITE;
        }
        struct mspace *src = model_source(m, p);
        const struct mpage *q = src ? &src->pages[p->src_page] : NULL;
        if (!q || q->state == M_FREE || q->state == M_RESERVED || !(q->prot & AS_PROT_READ))
            return;
        c->prot &= q->prot;
        i = p->src_page;
        if (q->resident || q->state == M_COMMITTED) {
            c->bs = src, c->bi = i;
            return;
        }
        x = src;
    }
}

uint32_t model_rights(struct model *m, struct mspace *s, size_t i)
{
    const struct mpage *p = &s->pages[i];
    if (p->state == M_COMMITTED || (p->state == M_MAPPED && p->resident))
        return p->resident ? p->prot : 0;
    if (p->state != M_MAPPED)
        return 0;
    struct mchain c;
    model_chain(m, s, i, AS_PROT_READ, &c);
    return c.bs && c.bs->pages[c.bi].resident ? c.prot : 0;
}

void model_check_counters(struct model *m, struct mspace *s)
{
    as_check(&s->as);
    MASSERT(m,
            s->as.reserved_pages == s->reserved && s->as.committed_pages == s->committed &&
                s->as.resident_pages == s->resident,
            "%s: the space counts %zu reserved, %zu committed, %zu resident; the model %zu, %zu, "
            "%zu",
            s->as.name, s->as.reserved_pages, s->as.committed_pages, s->as.resident_pages,
            s->reserved, s->committed, s->resident);
}

static void check_info(struct model *m, const char *name, const ADDR_REGION_INFO *got,
                       const ADDR_REGION_INFO *want)
{
    MASSERT(m,
            got->Base == want->Base && got->Size == want->Size &&
                got->ReservationBase == want->ReservationBase && got->State == want->State &&
                got->Prot == want->Prot && got->Type == want->Type,
            "%s: Query(%#lx) gave base %#lx size %#lx resbase %#lx state %u prot %#x type %u; "
            "the model says size %#lx resbase %#lx state %u prot %#x type %u",
            name, (unsigned long)got->Base, (unsigned long)got->Base, (unsigned long)got->Size,
            (unsigned long)got->ReservationBase, got->State, got->Prot, got->Type,
            (unsigned long)want->Size, (unsigned long)want->ReservationBase, want->State,
            want->Prot, want->Type);
}

void model_check_query(struct model *m, struct mspace *s, vaddr_t va)
{
    ADDR_REGION_INFO got, want = model_query(m, s, model_page(m, va));
    MASSERT(m, as_query(&s->as, va, &got) == S_OK, "Query(%#lx) failed", (unsigned long)va);
    check_info(m, s->as.name, &got, &want);
}

void model_check_query_map(struct model *m, struct mspace *s)
{
    size_t reserved = 0, committed = 0, resident = 0;
    for (size_t i = 0; i < m->npages; i++) {
        const struct mpage *p = &s->pages[i];
        reserved += p->state != M_FREE;
        committed += p->state == M_COMMITTED;
        resident += p->resident;
    }
    MASSERT(m, reserved == s->reserved && committed == s->committed && resident == s->resident,
            "%s: the model's own counters drifted", s->as.name);
    for (size_t i = 0; i < m->npages; i += model_query(m, s, i).Size / PAGE_SIZE)
        model_check_query(m, s, page_va(m, i));
}

static struct mspace *space_of_tag(struct model *m, uint32_t tag)
{
    for (unsigned s = 0; s < m->nspaces; s++) {
        if (m->sp[s].as.vtlb_tag == tag)
            return &m->sp[s];
    }
    return NULL;
}

static void check_entry(const struct vtlb_soft_entry *e, void *arg)
{
    struct model *m = arg;
    struct mspace *s = space_of_tag(m, e->tag);
    MASSERT(m, s, "VTLB entry %#lx has tag %u of no live space", (unsigned long)e->vpage, e->tag);
    size_t i = model_page(m, e->vpage);
    MASSERT(m, i < m->npages, "%s: VTLB entry %#lx outside the window", s->as.name,
            (unsigned long)e->vpage);
    uint32_t rights = model_rights(m, s, i);
    MASSERT(m, e->prot && !(e->prot & ~rights),
            "%s: VTLB entry %#lx allows %#x; the model allows %#x (page state %u)", s->as.name,
            (unsigned long)e->vpage, e->prot, rights, s->pages[i].state);
    static const uint32_t each[] = {AS_PROT_READ, AS_PROT_WRITE, AS_PROT_EXECUTE};
    for (int k = 0; k < 3; k++) {
        if (!(e->prot & each[k]))
            continue;
        struct vtlb_mapping t;
        vtlb_miss(&s->as, e->vpage, each[k], &t);
        MASSERT(m, t.kind == VTLB_ENTER && t.pa + (e->vpage - t.va) == e->ppage,
                "%s: VTLB entry %#lx -> %#lx disagrees with the tree (kind %d)", s->as.name,
                (unsigned long)e->vpage, (unsigned long)e->ppage, t.kind);
    }
}

void model_check_vtlb(struct model *m)
{
    vtlb_soft_foreach(check_entry, m);
}

/* The pattern: one fill byte (never 0 or VM_ERASE_PATTERN) and a header at
 * offset 16, past the word a no-erase page's free-list link overwrites. */
struct stamp_hdr {
    uint32_t magic;
    uint32_t stamp; /* counter << 1 | (1 if the page's owner allowed no-erase) */
};

#define HDR_AT 16

static void fill(uint8_t *page, uint32_t stamp)
{
    memset(page, 0x20 + stamp % 0x40, PAGE_SIZE);
    struct stamp_hdr h = {STAMP_MAGIC, stamp};
    memcpy(page + HDR_AT, &h, sizeof h);
}

void content_write(struct model *m, uint8_t *page, struct mpage *p, bool noerase)
{
    uint32_t stamp = ++m->next_stamp << 1 | noerase;
    fill(page, stamp);
    p->content = C_STAMP;
    p->stamp = stamp;
}

static bool all_bytes(const uint8_t *b, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i] != v)
            return false;
    }
    return true;
}

/* Erased, zero, or another page's data that its owner let go unerased. */
static bool allowed_unknown(const uint8_t *page)
{
    const uint8_t *tail = page + HDR_AT;
    if (all_bytes(tail, PAGE_SIZE - HDR_AT, VM_ERASE_PATTERN) ||
        all_bytes(tail, PAGE_SIZE - HDR_AT, 0))
        return true;
    struct stamp_hdr h;
    memcpy(&h, tail, sizeof h);
    static uint8_t want[PAGE_SIZE];
    fill(want, h.stamp);
    return h.magic == STAMP_MAGIC && (h.stamp & 1) &&
           !memcmp(tail, want + HDR_AT, PAGE_SIZE - HDR_AT);
}

void content_check(struct model *m, const uint8_t *page, const struct mpage *p)
{
    static uint8_t want[PAGE_SIZE];
    switch (p->content) {
    case C_ZERO:
        MASSERT(m, all_bytes(page, PAGE_SIZE, 0), "alloc-zero page is not zero (byte %#x)",
                page[HDR_AT]);
        break;
    case C_STAMP:
        fill(want, p->stamp);
        MASSERT(m, !memcmp(page, want, PAGE_SIZE), "page lost its contents (stamp %#x, reads %#x)",
                p->stamp, ((const struct stamp_hdr *)(page + HDR_AT))->stamp);
        break;
    default:
        MASSERT(m, allowed_unknown(page),
                "fresh page shows data that is neither erased, zero nor released unerased "
                "(header %#x %#x)",
                ((const struct stamp_hdr *)(page + HDR_AT))->magic,
                ((const struct stamp_hdr *)(page + HDR_AT))->stamp);
    }
}
