/* The VM worker: random IAddressSpace sequences on this process's own
 * space, against a model of what every page must hold. In a region of
 * NPAGES pages, pages are committed (zero-filled), written with a stamp's
 * pattern, protected, decommitted, and the region is freed and made
 * again; fresh allocations elsewhere must read as zeros. After every step
 * the page it touched is read whole and one word of every committed page
 * is checked: a translation the kernel forgot to remove (after a
 * decommit, a free) shows as a wrong word. (No views: Map refuses a
 * space's own memory as its source, and another process's may go at any
 * moment here.) */
#include "stress.h"
#include <rialto.h>

#define PG     4096u
#define NPAGES 16u
#define RW     (AS_PROT_READ | AS_PROT_WRITE)

static struct {
    ADDRESS base;
    uint8_t committed[NPAGES], writable[NPAGES];
    uint32_t stamp[NPAGES]; /* 0: zeros */
} m;

static IAddressSpace *me;
static uint32_t next_stamp = 1;

static uint32_t pattern(uint32_t stamp, uint32_t word)
{
    return stamp ? stamp * 0x9e3779b1u + word : 0;
}

static volatile uint32_t *page(uint32_t k)
{
    return (volatile uint32_t *)(m.base + k * PG);
}

/* Word of page k against the model (an uncommitted page would fault:
 * not read). */
static void check_word(uint32_t k, uint32_t word, const char *after)
{
    if (!m.committed[k])
        return;
    uint32_t seen = page(k)[word], want = pattern(m.stamp[k], word);
    if (seen != want)
        stress_wrong(STRESS_WRONG_VM, "page %u word %u after %s: %#x, expected %#x (stamp %u)",
                     (unsigned)k, (unsigned)word, after, (unsigned)seen, (unsigned)want,
                     (unsigned)m.stamp[k]);
}

/* Page k whole, one word of every other page. */
static void check_all(uint32_t k, uint32_t *rng, const char *after)
{
    for (uint32_t i = 0; i < PG / 4; i++)
        check_word(k, i, after);
    for (uint32_t j = 0; j < NPAGES; j++)
        check_word(j, stress_rand(rng) % (PG / 4), after);
}

static void must(SCODE sc, const char *what)
{
    if (sc != S_OK)
        stress_wrong(STRESS_WRONG_VM, "%s: %#x, expected S_OK", what, (unsigned)sc);
}

/* The region: reserved, its first half committed (zeros). */
static void make_region(void)
{
    for (uint32_t k = 0; k < NPAGES; k++)
        m.committed[k] = m.writable[k] = k < NPAGES / 2, m.stamp[k] = 0;
    m.base = 0;
    must(IAddressSpace_Reserve(me, &m.base, NPAGES * PG, AS_ANYWHERE), "Reserve");
    must(IAddressSpace_Commit(me, m.base, NPAGES / 2 * PG, RW | AS_COMMIT_ALLOC_ZERO), "Commit");
}

static void free_region(void)
{
    must(IAddressSpace_Deallocate(me, m.base, NPAGES * PG), "Deallocate");
}

/* The region's page k: committed and written, or written again. */
static const char *write_page(uint32_t k)
{
    if (!m.committed[k]) {
        must(IAddressSpace_Commit(me, m.base + k * PG, PG, RW | AS_COMMIT_ALLOC_ZERO), "Commit");
        m.committed[k] = m.writable[k] = 1, m.stamp[k] = 0;
        return "Commit";
    }
    if (!m.writable[k])
        return "nothing";
    m.stamp[k] = next_stamp++;
    for (uint32_t i = 0; i < PG / 4; i++)
        page(k)[i] = pattern(m.stamp[k], i);
    return "a write";
}

static const char *decommit(uint32_t k)
{
    if (!m.committed[k])
        return "nothing";
    must(IAddressSpace_Decommit(me, m.base + k * PG, PG), "Decommit");
    m.committed[k] = 0;
    ADDR_REGION_INFO info;
    must(IAddressSpace_Query(me, m.base + k * PG, &info), "Query");
    if (info.State != AS_STATE_RESERVED)
        stress_wrong(STRESS_WRONG_VM, "a decommitted page's state %u", (unsigned)info.State);
    return "Decommit";
}

static const char *protect(uint32_t k)
{
    if (!m.committed[k])
        return "nothing";
    m.writable[k] = !m.writable[k];
    must(IAddressSpace_Protect(me, m.base + k * PG, PG, m.writable[k] ? RW : AS_PROT_READ),
         "Protect");
    return "Protect";
}

/* A write the page's protection refuses; the handler makes the page
 * writable again and the write goes on. */
static volatile ADDRESS fault_expected;
static volatile unsigned faults;

static int on_fault(const EXCEPTION_RECORD *r)
{
    if (r->Code != 0xC0000005u || r->Address != fault_expected || r->Access != 1)
        return EXCEPTION_CONTINUE_SEARCH; /* the process ends: its code tells the test */
    faults++;
    ADDRESS page = r->Address & ~(ADDRESS)(PG - 1);
    if (IAddressSpace_Protect(me, page, PG, RW) != S_OK)
        return EXCEPTION_CONTINUE_SEARCH;
    return EXCEPTION_CONTINUE_EXECUTION;
}

/* A write to a read-only page must fault once (a writable translation
 * left from before the Protect would let it through). */
static const char *write_refused(uint32_t k)
{
    if (!m.committed[k] || m.writable[k])
        return "nothing";
    faults = 0;
    fault_expected = m.base + k * PG + 4;
    page(k)[1] = pattern(m.stamp[k], 1); /* what it holds: the model stays */
    fault_expected = 0;
    if (faults != 1)
        stress_wrong(STRESS_WRONG_VM, "a write to read-only page %u: %u faults, expected 1",
                     (unsigned)k, faults);
    m.writable[k] = 1;
    return "a write refused";
}

/* A fresh allocation elsewhere reads as zeros, keeps what it is
 * written, and goes. */
static void fresh(uint32_t *rng)
{
    uint32_t n = 1 + stress_rand(rng) % 4;
    ADDRESS a = 0;
    must(IAddressSpace_Allocate(me, &a, n * PG, AS_ANYWHERE | RW | AS_COMMIT_ALLOC_ZERO),
         "Allocate");
    volatile uint32_t *p = (volatile uint32_t *)a;
    for (uint32_t i = 0; i < n * PG / 4; i++)
        if (p[i])
            stress_wrong(STRESS_WRONG_VM, "a fresh page's word %u: %#x", (unsigned)i,
                         (unsigned)p[i]);
    uint32_t s = next_stamp++;
    for (uint32_t i = 0; i < n * PG / 4; i++)
        p[i] = pattern(s, i);
    for (uint32_t i = 0; i < n * PG / 4; i++)
        if (p[i] != pattern(s, i))
            stress_wrong(STRESS_WRONG_VM, "a fresh page's word %u read back: %#x", (unsigned)i,
                         (unsigned)p[i]);
    must(IAddressSpace_Deallocate(me, a, n * PG), "Deallocate");
}

static const char *step(uint32_t *rng, uint32_t k)
{
    uint32_t r = stress_rand(rng);
    switch (r % 16) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
        return write_page(k);
    case 9:
    case 10:
        return decommit(k);
    case 11:
        return protect(k);
    case 12:
        return write_refused(k);
    case 13:
    case 14:
        fresh(rng);
        return "a fresh allocation";
    default:
        free_region();
        make_region();
        return "the region made again";
    }
}

int vm_run(void *unused)
{
    (void)unused;
    uint32_t rng = stress_seed(2);
    me = CurrentAddressSpace();
    if (SetExceptionHandler(on_fault) != S_OK)
        stress_wrong(STRESS_SETUP, "SetExceptionHandler refused");
    make_region();
    for (uint32_t n = 0; n < stress_ops; n++) {
        uint32_t k = stress_rand(&rng) % NPAGES;
        check_all(k, &rng, step(&rng, k));
    }
    free_region();
    return 0;
}
