/* The MIPS VTLB (paper 3.1): the 16-entry hardware TLB, refilled by the
 * assembly fast path in trap.S from a 2-way set-associative software
 * TLB of CONFIG_VTLB_ENTRIES page-pair entries in unmapped memory (kseg0).
 * A software-TLB miss becomes a translation fault (kernel/vm/trap.c), whose
 * vtlb_enter lands here. Each user space has a pair of ASIDs (<arch/mips.h>):
 * its user ASID tags the user's own view (user mode, kuseg at the user
 * address), its kernel ASID the kernel's biased view of it (user u at
 * u + USER_KERNEL_BIAS) and the kernel's own overlap region (kernel_as, at
 * [1 GiB, 2 GiB)). Pairs are handed out on activation and taken back, with
 * everything they tagged, when they run out. kernel_as translations are
 * entered under the current kernel ASID without the global bit, so no two
 * hardware entries can ever match one address, and user mode, under the
 * user ASID, never sees them. */
#include <arch/mips.h>
#include <arch/stlb.h>
#include <config.h>
#include <kernel/kprintf.h>
#include <kernel/sched/np.h>
#include <kernel/string.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/trap.h>

#define NSETS                   (CONFIG_VTLB_ENTRIES / 2)
#define HW_TLB                  16  /* the 24Kf's joint TLB */
#define NPAIRS                  128 /* 256 ASIDs; pair 0 is ASID_NO_SPACE's */
#define PAIR                    (2 * PAGE_SIZE)
#define REMOVE_SETS_PER_SECTION 32          /* a full scan's sets per non-preemptible section */
#define INDEX_P                 0x80000000u /* tlbp found nothing */

struct stlb_entry stlb[NSETS][2] __attribute__((aligned(STLB_ALIGN), section(".stlb")));

/* The layout trap.S reads (<arch/stlb.h>) is the struct's. */
_Static_assert(offsetof(struct stlb_entry, tag) == STLB_TAG, "STLB_TAG");
_Static_assert(offsetof(struct stlb_entry, lo0) == STLB_LO0, "STLB_LO0");
_Static_assert(offsetof(struct stlb_entry, lo1) == STLB_LO1, "STLB_LO1");
_Static_assert(offsetof(struct stlb_entry, spare) == STLB_REFILLS, "STLB_REFILLS");
_Static_assert(sizeof(struct stlb_entry) == STLB_ENTRY_SIZE, "STLB_ENTRY_SIZE");
_Static_assert(sizeof stlb[0] == STLB_SET_SIZE, "STLB_SET_SIZE");
_Static_assert(1 << STLB_SET_SHIFT == STLB_SET_SIZE, "STLB_SET_SHIFT");
_Static_assert(NSETS == 1 << CONFIG_VTLB_SET_BITS, "trap.S set index width");
_Static_assert(sizeof stlb <= STLB_ALIGN, "the set index fits below the alignment");
uint32_t stlb_refill_missed; /* set by trap.S when a refill missed the software TLB */

static unsigned nsets = NSETS; /* in use: vtlb_set_bound may lower it */
static struct as *pair_owner[NPAIRS];
/* The owner of a pair a flush is still clearing: handed to nobody. */
static struct as retiring;
/* Pairs with no owner, entries cleared: vtlb_tidy keeps TIDY_LOW to
 * TIDY_HIGH of them, so that no switch sweeps the software TLB to take a
 * pair from its owner (10 instructions an entry: 40,000 at 4,096). */
static unsigned free_pairs = NPAIRS - 1;
#define TIDY_LOW  8
#define TIDY_HIGH 16
static unsigned pair_rover; /* pair_of(pair_rover) is tried next */
static struct as *active;
static bool fault_biased; /* the fault being resolved is the kernel's biased view */
static struct vtlb_stats stats;
static uint64_t refill_misses;

/* ---- the hardware TLB ---- */

static inline void tlbp(void)
{
    __asm__ volatile("tlbp\n\tehb" ::: "memory");
}

static inline void tlbwi(void)
{
    __asm__ volatile("tlbwi\n\tehb" ::: "memory");
}

static inline void tlbwr(void)
{
    __asm__ volatile("tlbwr\n\tehb" ::: "memory");
}

static inline void tlbr(void)
{
    __asm__ volatile("tlbr\n\tehb" ::: "memory");
}

static uint32_t current_asid(void)
{
    return read_c0_entryhi() & 0xff;
}

/* An EntryHi no access can match: a distinct kseg0 address per slot. */
static uint32_t unmatchable(unsigned slot)
{
    return UNMAPPED_BASE + slot * PAIR;
}

/* Write (tag, lo0, lo1) into the hardware TLB: over the entry that already
 * matches tag if there is one (so no two ever match), else at random. The
 * caller has interrupts off; EntryHi's ASID is restored after. */
static void hw_write(uint32_t tag, uint32_t lo0, uint32_t lo1)
{
    uint32_t saved = read_c0_entryhi();
    write_c0_entryhi(tag);
    tlbp();
    write_c0_entrylo0(lo0);
    write_c0_entrylo1(lo1);
    if (read_c0_index() & INDEX_P)
        tlbwr();
    else
        tlbwi();
    write_c0_entryhi(saved);
}

/* Drop the hardware entry for tag, if any. */
static void hw_forget(uint32_t tag)
{
    uint32_t saved = read_c0_entryhi();
    write_c0_entryhi(tag);
    tlbp();
    uint32_t index = read_c0_index();
    if (!(index & INDEX_P)) {
        write_c0_entryhi(unmatchable(index));
        write_c0_entrylo0(0);
        write_c0_entrylo1(0);
        tlbwi();
    }
    write_c0_entryhi(saved);
}

/* Drop every hardware entry for which drop(tag) says so. */
static void hw_forget_if(bool (*drop)(uint32_t tag, void *arg), void *arg)
{
    uint32_t saved = read_c0_entryhi();
    for (unsigned i = 0; i < HW_TLB; i++) {
        write_c0_index(i);
        tlbr();
        if (drop(read_c0_entryhi(), arg)) {
            write_c0_entryhi(unmatchable(i));
            write_c0_entrylo0(0);
            write_c0_entrylo1(0);
            tlbwi();
        }
    }
    write_c0_entryhi(saved);
}

/* ---- the software TLB ---- */

/* The set of tag. Its twin is the refill handler's computation at
 * exception_base in trap.S (and again at refill_way1): change both
 * together; stlb.c in test/vm/guest/mips checks that they agree. */
static struct stlb_entry *set_of(uint32_t tag)
{
    return stlb[STLB_SET(tag) & (nsets - 1)];
}

struct stlb_entry *mips_stlb_set_of(uint32_t h)
{
    return set_of(h);
}

static void stlb_invalidate(struct stlb_entry *e)
{
    *e = (struct stlb_entry){.tag = STLB_INVALID_TAG, .spare = e->spare};
}

static uint32_t entrylo(paddr_t pa, uint32_t prot)
{
    uint32_t lo = (pa >> PAGE_SHIFT) << 6 | ENTRYLO_C_WB | ENTRYLO_V;
    return prot & AS_PROT_WRITE ? lo | ENTRYLO_D : lo;
}

/* The slot for tag: its own, else a new entry in way 0 (the refill
 * handler's fast way), pushing way 0 down to way 1. What falls out of way
 * 1 leaves the hardware TLB too: the hardware only ever holds entries the
 * software TLB has, so removing from the software TLB is enough to find
 * every hardware copy. */
static struct stlb_entry *stlb_slot(uint32_t tag)
{
    struct stlb_entry *set = set_of(tag);
    if (set[0].tag == tag)
        return &set[0];
    if (set[1].tag == tag)
        return &set[1];
    if (set[1].tag != STLB_INVALID_TAG)
        hw_forget(set[1].tag);
    uint32_t refills = set[0].spare;
    set[1] = set[0];
    set[1].spare = 0;
    set[0] = (struct stlb_entry){.tag = tag, .spare = refills};
    return &set[0];
}

/* ---- ASIDs ---- */

/* The kernel ASID of the active pair (ASID_NO_SPACE with no user space):
 * what kernel mode always runs under. */
static uint32_t kernel_asid(void)
{
    return active ? active->vtlb.asid | ASID_KERNEL_BIT : ASID_NO_SPACE;
}

static bool tag_in_pair(uint32_t tag, void *arg)
{
    bool unmatchable_slot = tag >= UNMAPPED_BASE && tag < UNMAPPED_BASE + HW_TLB * PAIR;
    return !unmatchable_slot && (tag & 0xfe) == (uint32_t)(uintptr_t)arg;
}

/* Sets [lo, hi) of the software TLB forget the pair's entries. */
static void forget_pair_sets(uint32_t asid, unsigned lo, unsigned hi)
{
    for (unsigned s = lo; s < hi; s++) {
        for (unsigned w = 0; w < 2; w++) {
            if (tag_in_pair(stlb[s][w].tag, (void *)(uintptr_t)asid))
                stlb_invalidate(&stlb[s][w]);
        }
    }
}

/* Forget everything tagged with the pair whose user ASID is asid (both
 * views of the space and the overlap entries under its kernel ASID), in
 * both TLBs. */
static void forget_pair(uint32_t asid)
{
    forget_pair_sets(asid, 0, nsets);
    hw_forget_if(tag_in_pair, (void *)(uintptr_t)asid);
}

/* The k-th pair handed out: a multiplicative walk over 1..127, so
 * successive spaces differ in many bits and their entries, which share
 * virtual addresses, spread over the software TLB's sets (the set index
 * mixes the ASID into the page number) at no cost to the refill path. */
static uint32_t pair_of(unsigned k)
{
    return 1 + (k * 53u) % (NPAIRS - 1);
}

/* How far round the rover the next pair to take from its owner is: not
 * free, not the active space's, not one being retired (NPAIRS - 1: none). */
static unsigned victim_offset(void)
{
    unsigned n = 0;
    for (; n < NPAIRS - 1; n++) {
        struct as *o = pair_owner[pair_of(pair_rover + n)];
        if (o && o != active && o != &retiring)
            break;
    }
    return n;
}

static void set_owner(uint32_t p, struct as *as)
{
    free_pairs += !as - !pair_owner[p];
    pair_owner[p] = as;
}

/* A pair for as; returns its user ASID. */
static uint32_t pair_take(struct as *as)
{
    if (free_pairs <= TIDY_LOW)
        vm_request_vtlb_tidy();
    for (unsigned n = 0; n < NPAIRS - 1; n++) {
        uint32_t p = pair_of(pair_rover + n);
        if (!pair_owner[p]) {
            pair_rover += n + 1;
            set_owner(p, as);
            return 2 * p;
        }
    }
    /* all in use: take the next one round the rover from its owner */
    unsigned n = victim_offset();
    if (n == NPAIRS - 1)
        panic("vtlb: every ASID pair is active or being retired");
    uint32_t p = pair_of(pair_rover + n);
    pair_rover += n + 1;
    pair_owner[p]->vtlb.asid = 0; /* none was left: a sweep here after all */
    forget_pair(2 * p);
    stats.arch.asid_recycles++;
    set_owner(p, as);
    return 2 * p;
}

/* Called in kernel mode only: EntryHi gets the pair's kernel ASID; the
 * return to user mode (trap.S) clears its bit 0. */
void vtlb_activate(struct as *as)
{
    unsigned long irq = arch_irq_save();
    if (as && !as->vtlb.asid)
        as->vtlb.asid = (uint8_t)pair_take(as);
    active = as;
    write_c0_entryhi(kernel_asid());
    arch_irq_restore(irq);
}

void vtlb_as_init(struct as *as)
{
    as->vtlb.asid = 0;
}

/* Inactive first, so that the flush frees its pair rather than giving it
 * a fresh one (whose owner would be a space that is no more). */
void vtlb_as_fini(struct as *as)
{
    if (active == as) {
        active = 0;
        write_c0_entryhi(ASID_NO_SPACE);
    }
    vtlb_flush(as);
}

/* ---- the contract ---- */

/* The tag of as's page pair at even: kernel_as's under the current kernel
 * ASID; a user space's at the user address under its user ASID, or, for
 * the kernel's biased view, at even + USER_KERNEL_BIAS under its kernel
 * ASID. */
static uint32_t tag_of(struct as *as, vaddr_t even, bool biased)
{
    if (as == &kernel_as) {
        uint32_t asid = current_asid();
        assert(asid & ASID_KERNEL_BIT); /* never a user ASID: user mode would see it */
        return even | asid;
    }
    if (biased)
        return (uint32_t)(even + USER_KERNEL_BIAS) | as->vtlb.asid | ASID_KERNEL_BIT;
    return even | as->vtlb.asid;
}

void vtlb_enter(struct as *as, vaddr_t va, const struct vtlb_mapping *m)
{
    unsigned long irq = np_begin(NP_VTLB);
    if (as != &kernel_as && !as->vtlb.asid) { /* never active: nothing can miss on it */
        np_end(NP_VTLB, irq);
        return;
    }
    vaddr_t even = va & ~(vaddr_t)(PAIR - 1);
    uint32_t tag = tag_of(as, even, fault_biased && as != &kernel_as);
    struct stlb_entry *e = stlb_slot(tag);
    bool fresh = e->tag != tag;
    e->tag = tag;
    uint32_t *lo[2] = {&e->lo0, &e->lo1};
    for (int half = 0; half < 2; half++) {
        vaddr_t page = even + (vaddr_t)half * PAGE_SIZE;
        if (page >= m->va && page - m->va < m->size)
            *lo[half] = entrylo(m->pa + (page - m->va), m->prot);
        else if (fresh)
            *lo[half] = 0;
    }
    hw_write(tag, e->lo0, e->lo1);
    np_end(NP_VTLB, irq);
}

/* One view of a space in the software TLB: the entries whose tag's ASID
 * bits under mask are asid, at their address less bias. */
struct view {
    uint32_t mask, asid;
    vaddr_t bias;
};

/* The views a remove of as must reach: kernel_as under every kernel ASID;
 * a user space's own (user ASID) and the kernel's biased one (kernel ASID). */
static unsigned views_of(struct as *as, struct view v[2])
{
    if (as == &kernel_as) {
        v[0] = (struct view){ASID_KERNEL_BIT, ASID_KERNEL_BIT, 0};
        return 1;
    }
    v[0] = (struct view){0xff, as->vtlb.asid, 0};
    v[1] = (struct view){0xff, as->vtlb.asid | ASID_KERNEL_BIT, USER_KERNEL_BIAS};
    return 2;
}

/* Clear the halves of pair entry e that fall in [va, end) of the space,
 * e's address less bias. */
static void remove_pair(struct stlb_entry *e, vaddr_t bias, vaddr_t va, vaddr_t end)
{
    vaddr_t even = (e->tag & ~(uint32_t)(PAIR - 1)) - bias;
    if (even >= va && even < end)
        e->lo0 = 0;
    if (even + PAGE_SIZE >= va && even + PAGE_SIZE < end)
        e->lo1 = 0;
    uint32_t tag = e->tag;
    if (!(e->lo0 & ENTRYLO_V) && !(e->lo1 & ENTRYLO_V)) {
        stlb_invalidate(e);
        hw_forget(tag);
    } else {
        hw_write(tag, e->lo0, e->lo1);
    }
}

/* The view of e among v[0..n), if e overlaps [va, end) there. */
static const struct view *view_in_range(const struct stlb_entry *e, const struct view *v,
                                        unsigned n, vaddr_t va, vaddr_t end)
{
    if (e->tag == STLB_INVALID_TAG)
        return 0;
    for (unsigned i = 0; i < n; i++) {
        vaddr_t even = (e->tag & ~(uint32_t)(PAIR - 1)) - v[i].bias;
        if ((e->tag & v[i].mask) == v[i].asid && even + PAIR > va && even < end)
            return &v[i];
    }
    return 0;
}

/* Probe [va, end) pair by pair in each of the space's views. */
static void remove_by_probing(const struct view *v, unsigned n, vaddr_t va, vaddr_t end)
{
    for (vaddr_t even = va & ~(vaddr_t)(PAIR - 1); even < end; even += PAIR) {
        for (unsigned i = 0; i < n; i++) {
            uint32_t tag = (uint32_t)(even + v[i].bias) | v[i].asid;
            struct stlb_entry *set = set_of(tag);
            for (int w = 0; w < 2; w++) {
                if (set[w].tag == tag)
                    remove_pair(&set[w], v[i].bias, va, end);
            }
        }
    }
}

void vtlb_remove(struct as *as, vaddr_t va, size_t size)
{
    unsigned long irq = np_begin(NP_VTLB);
    if (as != &kernel_as && !as->vtlb.asid) {
        np_end(NP_VTLB, irq);
        return; /* never active: nothing cached */
    }
    struct view v[2];
    unsigned n = views_of(as, v);
    vaddr_t end = va + size;
    if (as != &kernel_as && size / PAIR < nsets) {
        remove_by_probing(v, n, va, end);
        np_end(NP_VTLB, irq);
        return;
    }
    /* the kernel's space (any kernel ASID), or a big range: look at everything */
    for (unsigned s = 0; s < nsets; s++) {
        for (unsigned w = 0; w < 2; w++) {
            const struct view *in = view_in_range(&stlb[s][w], v, n, va, end);
            if (in)
                remove_pair(&stlb[s][w], in->bias, va, end);
        }
        /* let interrupts and preemption in every few sets: the tree
         * no longer has the range, so nothing can enter it again, and
         * each entry leaves both TLBs at once */
        if (s % REMOVE_SETS_PER_SECTION == REMOVE_SETS_PER_SECTION - 1) {
            np_end(NP_VTLB, irq);
            irq = np_begin(NP_VTLB);
        }
    }
    np_end(NP_VTLB, irq);
}

/* Clear pair `asid`'s entries, REMOVE_SETS_PER_SECTION sets to a
 * section, and free it; its owner is &retiring meanwhile, so nobody takes
 * it before it is clean. */
static void retire_pair(uint32_t asid)
{
    for (unsigned lo = 0; lo < nsets; lo += REMOVE_SETS_PER_SECTION) {
        unsigned long irq = np_begin(NP_VTLB);
        forget_pair_sets(
            asid, lo, lo + REMOVE_SETS_PER_SECTION < nsets ? lo + REMOVE_SETS_PER_SECTION : nsets);
        np_end(NP_VTLB, irq);
    }
    unsigned long irq = np_begin(NP_VTLB);
    hw_forget_if(tag_in_pair, (void *)(uintptr_t)asid);
    set_owner(asid / 2, 0);
    np_end(NP_VTLB, irq);
}

/* A space's flush moves it to a fresh pair at once and retires the old
 * one (a whole sweep in one section was 5,000 instructions at 512
 * entries, 40,000 at 4,096). */
void vtlb_flush(struct as *as)
{
    if (as == &kernel_as) {
        vtlb_remove(as, as->lo, as->hi - as->lo);
        return;
    }
    unsigned long irq = np_begin(NP_VTLB);
    uint32_t asid = as->vtlb.asid;
    if (asid) {
        set_owner(asid / 2, &retiring);
        as->vtlb.asid = 0;
        if (active == as) /* keep running it: under a clean ASID */
            vtlb_activate(as);
    }
    np_end(NP_VTLB, irq);
    if (asid)
        retire_pair(asid);
}

/* From the fault helper (thread context), when pair_take found TIDY_LOW
 * or fewer free: take pairs back from their owners, oldest round the
 * rover first, until TIDY_HIGH are free. Each owner takes a fresh pair
 * when it next runs. */
void vtlb_tidy(void)
{
    for (;;) {
        unsigned long irq = np_begin(NP_VTLB);
        unsigned n = free_pairs < TIDY_HIGH ? victim_offset() : NPAIRS - 1;
        uint32_t p = n < NPAIRS - 1 ? pair_of(pair_rover + n) : 0;
        if (p) {
            pair_owner[p]->vtlb.asid = 0;
            set_owner(p, &retiring);
            stats.arch.asid_recycles++;
        }
        np_end(NP_VTLB, irq);
        if (!p)
            return;
        retire_pair(2 * p);
    }
}

void vtlb_synchronize(void)
{
    /* enter and remove update the hardware TLB as they go */
}

/* The space a TLB exception at va is a miss in (NULL: none covers va),
 * counted; for the fault entry (fault.c). User mode sees only its own
 * space. Kernel mode sees kernel_as at [1 GiB, 2 GiB) and the active user
 * space everywhere else that is mapped ([0, 1 GiB) and [3 GiB, 4 GiB)),
 * at va less the bias: vtlb_enter is given that user address and, until
 * mips_vtlb_fault_done, enters it back at va under the kernel ASID. A
 * refill that missed the software TLB left its mark for the refill
 * statistics. */
struct as *mips_vtlb_fault_space(vaddr_t va, bool from_user, vaddr_t *space_va)
{
    refill_misses += stlb_refill_missed;
    stlb_refill_missed = 0;
    if (!from_user && va >= KERNEL_MAPPED_BASE && va < KERNEL_MAPPED_END) {
        stats.kernel_misses++;
        *space_va = va;
        return &kernel_as;
    }
    vaddr_t u = from_user ? va : va - USER_KERNEL_BIAS;
    *space_va = va; /* no space: reported as the code used it */
    if (u >= USER_BASE && u < USER_END && active) {
        stats.user_misses++;
        fault_biased = !from_user;
        *space_va = u;
        return active;
    }
    return 0;
}

void mips_vtlb_fault_done(void)
{
    fault_biased = false;
}

/* Empty the hardware TLB (the software TLB keeps everything). tlbwi also
 * drops the evicted entries QEMU keeps alive behind the 16 real ones, so
 * the next access to any page is a real refill. */
void mips_tlb_clear_hw(void)
{
    unsigned long irq = arch_irq_save();
    uint32_t saved = read_c0_entryhi();
    for (unsigned i = 0; i < HW_TLB; i++) {
        write_c0_index(i);
        write_c0_entryhi(unmatchable(i));
        write_c0_entrylo0(0);
        write_c0_entrylo1(0);
        tlbwi();
    }
    write_c0_entryhi(saved);
    arch_irq_restore(irq);
}

/* Point the refill handler's two `ins` instructions at a set index of
 * `bits` bits (the msb field, bits 15:11, is pos + size - 1, pos being
 * STLB_SET_SHIFT), then make
 * the instruction cache see the change. */
extern uint32_t refill_ins0[], refill_ins1[];

static void patch_set_bits(unsigned bits)
{
    uint32_t *ins[2] = {refill_ins0, refill_ins1};
    for (int i = 0; i < 2; i++) {
        *ins[i] = (*ins[i] & ~(0x1fu << 11)) | (STLB_SET_SHIFT + bits - 1) << 11;
        __asm__ volatile("cache 0x15, 0(%0)\n\t" /* write back the D-cache line */
                         "sync\n\t"
                         "cache 0x10, 0(%0)\n\t" /* invalidate the I-cache line */
                         "sync\n\tehb" ::"r"(ins[i])
                         : "memory");
    }
}

static void stlb_clear(void)
{
    for (unsigned s = 0; s < NSETS; s++) {
        stlb_invalidate(&stlb[s][0]);
        stlb_invalidate(&stlb[s][1]);
    }
}

bool vtlb_set_bound(unsigned entries)
{
    unsigned bits = 0;
    while ((2u << bits) < entries)
        bits++;
    if (entries < 32 || entries > CONFIG_VTLB_ENTRIES || (2u << bits) != entries)
        return false;
    unsigned long irq = arch_irq_save();
    nsets = entries / 2;
    patch_set_bits(bits);
    stlb_clear();
    mips_tlb_clear_hw();
    arch_irq_restore(irq);
    return true;
}

void mips_vtlb_init(void)
{
    assert(((uintptr_t)stlb & (STLB_ALIGN - 1)) == 0);
    stlb_clear();
    write_c0_pagemask(0);
    write_c0_wired(0);
    write_c0_entryhi(ASID_NO_SPACE);
    mips_tlb_clear_hw();
}

void vtlb_get_stats(struct vtlb_stats *s)
{
    *s = stats;
    for (unsigned set = 0; set < NSETS; set++) /* every set: counts survive a resize */
        s->arch.hw_refills += stlb[set][0].spare;
    s->arch.stlb_hits = s->arch.hw_refills - refill_misses;
    s->bound = 2 * nsets;
    s->mapping_bytes = s->mapping_bytes_max = nsets * STLB_SET_SIZE;
}

void vtlb_print_arch_stats(const struct arch_vtlb_stats *s)
{
    kprintf("vtlb: %llu hardware refills, %llu from the software TLB, %llu ASIDs recycled\n",
            (unsigned long long)s->hw_refills, (unsigned long long)s->stlb_hits,
            (unsigned long long)s->asid_recycles);
}
