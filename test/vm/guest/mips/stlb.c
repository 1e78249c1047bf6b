/* The MIPS software TLB against its assembly twin: the refill handler in
 * arch/mips/trap.S must look for an EntryHi in the set vtlb.c's set_of
 * keeps it in, at every set-index width vtlb_set_bound gives it, and serve
 * way 1 as well as way 0; removes must find an entry in either way and,
 * for kernel space, under every ASID.
 *
 * How a test knows which set the refill handler used: the handler counts
 * every refill in the spare word of way 0 of the set it computed, and a
 * refill that misses the software TLB becomes a translation fault (a
 * slow-path miss in the VTLB's stats). QEMU keeps evicted hardware TLB
 * entries alive, so each test empties the hardware TLB with
 * mips_tlb_clear_hw (tlbwi) right before the access that must refill. */
#include <arch/mips.h>
#include <arch/stlb.h>
#include <config.h>
#include <kernel/ktest.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/trap.h>
#include <kernel/vm/vm.h>

#define PG     PAGE_SIZE
#define PAIR   (2 * PG)
#define SPACES 24 /* each its own ASID */
#define PAGES  16 /* per space, at scattered page pairs */

static struct heap heap;

/* The EntryHi a refill of kernel address va sees now: its page pair and
 * the current ASID (the active pair's kernel ASID). */
static uint32_t entryhi_of(vaddr_t va)
{
    return (va & ~(vaddr_t)(PAIR - 1)) | (read_c0_entryhi() & 0xff);
}

/* ... of user address u, which the kernel reaches through the bias. */
static uint32_t entryhi_of_user(vaddr_t u)
{
    return entryhi_of((vaddr_t)user_ptr(u));
}

static uint64_t slow_misses(void)
{
    struct vtlb_stats s;
    vtlb_get_stats(&s);
    return s.user_misses + s.kernel_misses;
}

/* Read the word at p through a real refill, with interrupts off so that
 * nothing else refills meanwhile. *refills: how many refills the handler
 * counted in `counted`'s set; *misses: how many went the slow path. */
static bool read_by_refill(const volatile uint32_t *p, uint32_t *v, struct stlb_entry *counted,
                           uint32_t *refills, uint64_t *misses)
{
    unsigned long irq = arch_irq_save();
    uint32_t refills_before = counted[0].spare;
    uint64_t misses_before = slow_misses();
    mips_tlb_clear_hw();
    bool ok = arch_probe_read32(p, v);
    *refills = counted[0].spare - refills_before;
    *misses = slow_misses() - misses_before;
    arch_irq_restore(irq);
    return ok;
}

/* Enter va's translation (a write of want, through the slow path), then
 * check the refill handler finds it in way 0 of set_of's set: exactly one
 * refill counted there, no slow-path miss, the right data. */
static bool served_from_its_set(vaddr_t va, uint32_t want)
{
    volatile uint32_t *p = (volatile uint32_t *)va; /* the user's biased view or kernel_as */
    if (!arch_probe_write32(p, want)) {
        ktest_fail(__FILE__, __LINE__, "write of %#lx faulted", (unsigned long)va);
        return false;
    }
    uint32_t tag = entryhi_of(va), v = 0, refills;
    uint64_t misses;
    struct stlb_entry *set = mips_stlb_set_of(tag);
    if (set[0].tag != tag) {
        ktest_fail(__FILE__, __LINE__, "EntryHi %#x is not in way 0 of its set", tag);
        return false;
    }
    bool ok = read_by_refill(p, &v, set, &refills, &misses);
    if (!ok || v != want || refills != 1 || misses != 0) {
        ktest_fail(__FILE__, __LINE__,
                   "EntryHi %#x, set at %p: read %s %#x (want %#x), %u refills counted in the "
                   "set (want 1), %llu slow-path misses (want 0)",
                   tag, (void *)set, ok ? "gave" : "faulted", v, want, refills,
                   (unsigned long long)misses);
        return false;
    }
    return true;
}

/* Page i of space s: the high VPN2 bits follow i, the low ones i and s;
 * even or odd page of its pair. */
static vaddr_t scattered_va(unsigned s, unsigned i)
{
    return USER_BASE + i * 0x07f00000u + ((i * 37 + s * 11) % 256) * PAIR + ((i + s) & 1) * PG;
}

static uint32_t pattern(unsigned s, unsigned i)
{
    return 0x57000000u ^ s << 16 ^ i;
}

static struct as spaces[SPACES];

static bool build_spaces(void)
{
    heap_init(&heap, "stlb test");
    for (unsigned s = 0; s < SPACES; s++)
        as_init(&spaces[s], "stlb", USER_BASE, USER_END, &heap);
    for (unsigned s = 0; s < SPACES; s++) {
        for (unsigned i = 0; i < PAGES; i++) {
            vaddr_t va = scattered_va(s, i);
            if (as_allocate(&spaces[s], &va, PG, AS_PROT_READ | AS_PROT_WRITE) != S_OK)
                return false;
        }
    }
    return true;
}

/* Every page of every space, and the kernel page k under every space's
 * ASID (kernel-space entries carry the current one). */
static bool all_served_from_their_sets(vaddr_t k)
{
    for (unsigned s = 0; s < SPACES; s++) {
        vm_activate(&spaces[s]);
        for (unsigned i = 0; i < PAGES; i++) {
            if (!served_from_its_set((vaddr_t)user_ptr(scattered_va(s, i)), pattern(s, i)))
                return false;
        }
        if (!served_from_its_set(k, pattern(s, PAGES)))
            return false;
    }
    return true;
}

KTEST(stlb_refill_handler_uses_set_of_at_every_bound)
{
    struct vtlb_stats saved;
    vtlb_get_stats(&saved);
    vaddr_t k = 0;
    KT_ASSERT_EQ(as_allocate(&kernel_as, &k, PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    bool ok = build_spaces() && all_served_from_their_sets(k);
    /* each bound rewrites the width of the handler's set index */
    for (unsigned n = CONFIG_VTLB_ENTRIES; ok && n >= 32; n /= 2) {
        if (!vtlb_set_bound(n)) {
            ktest_fail(__FILE__, __LINE__, "vtlb_set_bound(%u) refused", n);
            ok = false;
        }
        ok = ok && all_served_from_their_sets(k);
    }
    bool restored = vtlb_set_bound(saved.bound);
    for (unsigned s = 0; s < SPACES; s++)
        as_destroy(&spaces[s]);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, k, PG), S_OK);
    KT_ASSERT(ok);
    KT_ASSERT(restored);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* A page pair of `as` (active) in the same set as the pair of va, above it. */
static vaddr_t same_set_neighbour(vaddr_t va)
{
    struct stlb_entry *set = mips_stlb_set_of(entryhi_of_user(va));
    for (vaddr_t n = va + PAIR; n < USER_END; n += PAIR) {
        if (mips_stlb_set_of(entryhi_of_user(n)) == set)
            return n;
    }
    return 0;
}

/* Two page pairs of one space that share a set: a (its pages hold 0xa0,
 * 0xa1), then b (0xb0, 0xb1) entered after it, which pushes a's entry to
 * way 1 (new entries go to way 0). */
struct way1_setup {
    struct as as;
    vaddr_t a, b;
    struct stlb_entry *set;
};

static bool put_a_in_way_1(struct way1_setup *w)
{
    heap_init(&heap, "stlb test");
    as_init(&w->as, "way1", USER_BASE, USER_END, &heap);
    vm_activate(&w->as);
    w->a = USER_BASE + 0x100000;
    w->b = same_set_neighbour(w->a);
    if (!w->b || as_allocate(&w->as, &w->a, PAIR, AS_PROT_READ | AS_PROT_WRITE) != S_OK ||
        as_allocate(&w->as, &w->b, PAIR, AS_PROT_READ | AS_PROT_WRITE) != S_OK)
        return false;
    for (uint32_t half = 0; half < 2; half++) {
        if (!vm_poke32(&w->as, w->a + half * PG, 0xa0 + half))
            return false;
    }
    for (uint32_t half = 0; half < 2; half++) {
        if (!vm_poke32(&w->as, w->b + half * PG, 0xb0 + half))
            return false;
    }
    w->set = mips_stlb_set_of(entryhi_of_user(w->a));
    return w->set[1].tag == entryhi_of_user(w->a) && w->set[0].tag == entryhi_of_user(w->b);
}

/* The refill handler's way-1 path: both halves of an entry in way 1 come
 * back with their own pages' data, each from one refill counted in the
 * set, none of them a slow-path miss. */
KTEST(stlb_refill_serves_way_1)
{
    struct way1_setup w;
    KT_ASSERT(put_a_in_way_1(&w));
    for (uint32_t half = 0; half < 2; half++) {
        uint32_t v = 0, refills;
        uint64_t misses;
        struct vtlb_stats before, after;
        vtlb_get_stats(&before);
        KT_ASSERT(read_by_refill(user_ptr(w.a + half * PG), &v, w.set, &refills, &misses));
        vtlb_get_stats(&after);
        KT_ASSERT_EQ(v, 0xa0 + half); /* a's page, not b's */
        KT_ASSERT_EQ(refills, 1);
        KT_ASSERT_EQ(misses, 0);
        KT_ASSERT_EQ(after.arch.stlb_hits - before.arch.stlb_hits,
                     after.arch.hw_refills - before.arch.hw_refills);
        KT_ASSERT_EQ(w.set[1].tag, entryhi_of_user(w.a)); /* a hit leaves the entry where it is */
    }
    as_destroy(&w.as);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* A user-space remove finds an entry in way 1 of its set: after a's pages
 * are decommitted, neither TLB translates them and the neighbour in way 0
 * is untouched. */
KTEST(stlb_user_remove_finds_way_1)
{
    struct way1_setup w;
    uint32_t v;
    KT_ASSERT(put_a_in_way_1(&w));
    KT_ASSERT_EQ(as_decommit(&w.as, w.a, PAIR), S_OK);
    KT_ASSERT(w.set[0].tag != entryhi_of_user(w.a) && w.set[1].tag != entryhi_of_user(w.a));
    KT_ASSERT(!vm_peek32(&w.as, w.a, &v)); /* the hardware TLB's copy went too */
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_RESERVED);
    mips_tlb_clear_hw();
    KT_ASSERT(!vm_peek32(&w.as, w.a + PG, &v));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_RESERVED);
    KT_ASSERT(vm_peek32(&w.as, w.b + PG, &v) && v == 0xb1);
    as_destroy(&w.as);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* A kernel-space remove reaches every ASID: a kernel page entered while
 * space A is active (so tagged with A's ASID) and decommitted while B is
 * active must not stay translatable when A comes back; recommitted, it
 * reads as fresh zeros. */
KTEST(stlb_kernel_remove_reaches_every_asid)
{
    struct as a, b;
    heap_init(&heap, "stlb test");
    as_init(&a, "A", USER_BASE, USER_END, &heap);
    as_init(&b, "B", USER_BASE, USER_END, &heap);
    vaddr_t k = 0;
    uint32_t v;
    KT_ASSERT_EQ(as_allocate(&kernel_as, &k, PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    volatile uint32_t *p = (volatile uint32_t *)k;
    vm_activate(&a);
    KT_ASSERT(arch_probe_write32(p, 77));
    uint32_t tag_a = entryhi_of(k);
    vm_activate(&b);
    KT_ASSERT(arch_probe_read32(p, &v) && v == 77);
    KT_ASSERT(entryhi_of(k) != tag_a);
    KT_ASSERT_EQ(as_decommit(&kernel_as, k, PG), S_OK);
    vm_activate(&a);
    struct stlb_entry *set = mips_stlb_set_of(tag_a);
    bool gone = set[0].tag != tag_a && set[1].tag != tag_a;
    bool faulted = !arch_probe_read32(p, &v);
    bool reserved = vm_last_fault.reason == VMX_RESERVED && vm_last_fault.as == &kernel_as;
    bool recommitted = as_commit(&kernel_as, k, PG, AS_PROT_READ | AS_COMMIT_ALLOC_ZERO) == S_OK;
    bool fresh = recommitted && arch_probe_read32(p, &v) && v == 0;
    KT_ASSERT_EQ(as_deallocate(&kernel_as, k, PG), S_OK);
    as_destroy(&a);
    as_destroy(&b);
    KT_ASSERT(gone);
    KT_ASSERT(faulted);
    KT_ASSERT(reserved);
    KT_ASSERT(fresh);
    KT_ASSERT_EQ(heap.pages, 0);
}
