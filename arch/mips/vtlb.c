/* The MIPS VTLB (paper 3.1): the 16-entry hardware TLB, refilled by the
 * assembly fast path in trap.S from a 2-way set-associative software
 * TLB of CONFIG_VTLB_ENTRIES page-pair entries in unmapped memory (kseg0).
 * A software-TLB miss becomes a translation fault (kernel/vm/trap.c), whose
 * vtlb_enter lands here. Entries are tagged with the space's ASID; ASIDs
 * are handed out on activation and taken back, with everything they
 * tagged, when they run out. Kernel-space (kseg2) translations are entered
 * under the current ASID without the global bit, so no two hardware
 * entries can ever match one address. */
#include <arch/mips.h>
#include <arch/stlb.h>
#include <config.h>
#include <kernel/kprintf.h>
#include <kernel/sched/np.h>
#include <kernel/string.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/trap.h>

#define NSETS                   (CONFIG_VTLB_ENTRIES / 2)
#define HW_TLB                  16 /* the 24Kf's joint TLB */
#define NASIDS                  256
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
static struct as *asid_owner[NASIDS];
static unsigned asid_rover; /* asid_of(asid_rover) is tried next */
static struct as *active;
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
    return stlb[((tag >> 13) ^ tag) & (nsets - 1)];
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

/* The ASID a space's entries carry. Kernel-space entries carry the
 * current one, which is 0 (never a user space's) before any activation. */
static uint32_t space_asid(struct as *as)
{
    return as == &kernel_as ? current_asid() : as->vtlb.asid;
}

static bool tag_has_asid(uint32_t tag, void *arg)
{
    bool unmatchable_slot = tag >= UNMAPPED_BASE && tag < UNMAPPED_BASE + HW_TLB * PAIR;
    return !unmatchable_slot && (tag & 0xff) == (uint32_t)(uintptr_t)arg;
}

/* Forget everything tagged with asid, in both TLBs. */
static void forget_asid(uint32_t asid)
{
    for (unsigned s = 0; s < nsets; s++) {
        for (unsigned w = 0; w < 2; w++) {
            if (stlb[s][w].tag != STLB_INVALID_TAG && (stlb[s][w].tag & 0xff) == asid)
                stlb_invalidate(&stlb[s][w]);
        }
    }
    hw_forget_if(tag_has_asid, (void *)(uintptr_t)asid);
}

/* The k-th ASID handed out: a multiplicative walk over 1..255, so
 * successive spaces differ in every bit and their entries, which share
 * virtual addresses, spread over the software TLB's sets (the set index
 * mixes the ASID into the page number) at no cost to the refill path. */
static uint32_t asid_of(unsigned k)
{
    return 1 + (k * 97u) % (NASIDS - 1);
}

static uint32_t asid_take(struct as *as)
{
    for (unsigned n = 0; n < NASIDS - 1; n++) {
        uint32_t a = asid_of(asid_rover + n);
        if (!asid_owner[a]) {
            asid_rover += n + 1;
            asid_owner[a] = as;
            return a;
        }
    }
    /* all in use: take the next one round the rover from its owner */
    uint32_t a = asid_of(asid_rover++);
    if (asid_owner[a] == active)
        a = asid_of(asid_rover++);
    asid_owner[a]->vtlb.asid = 0;
    forget_asid(a);
    stats.arch.asid_recycles++;
    asid_owner[a] = as;
    return a;
}

void vtlb_activate(struct as *as)
{
    unsigned long irq = arch_irq_save();
    if (as && !as->vtlb.asid)
        as->vtlb.asid = (uint8_t)asid_take(as);
    active = as;
    write_c0_entryhi(as ? as->vtlb.asid : 0); /* 0: no user space */
    arch_irq_restore(irq);
}

void vtlb_as_init(struct as *as)
{
    as->vtlb.asid = 0;
}

void vtlb_as_fini(struct as *as)
{
    vtlb_flush(as);
    if (active == as) {
        active = 0;
        write_c0_entryhi(0);
    }
}

/* ---- the contract ---- */

void vtlb_enter(struct as *as, vaddr_t va, const struct vtlb_mapping *m)
{
    unsigned long irq = np_begin(NP_VTLB);
    uint32_t asid = space_asid(as);
    if (!asid && as != &kernel_as) { /* never active: nothing can miss on it */
        np_end(NP_VTLB, irq);
        return;
    }
    vaddr_t even = va & ~(vaddr_t)(PAIR - 1);
    uint32_t tag = even | asid;
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

/* Clear the halves of pair entry e (tag's) that fall in [va, end). */
static void remove_pair(struct stlb_entry *e, vaddr_t va, vaddr_t end)
{
    vaddr_t even = e->tag & ~(uint32_t)(PAIR - 1);
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

struct range {
    vaddr_t va, end;
    uint32_t asid; /* 0: any ASID (kernel space) */
};

static bool tag_in_range(uint32_t tag, const struct range *r)
{
    vaddr_t even = tag & ~(uint32_t)(PAIR - 1);
    return tag != STLB_INVALID_TAG && even + PAIR > r->va && even < r->end &&
           (!r->asid || (tag & 0xff) == r->asid);
}

void vtlb_remove(struct as *as, vaddr_t va, size_t size)
{
    unsigned long irq = np_begin(NP_VTLB);
    uint32_t asid = as == &kernel_as ? 0 : as->vtlb.asid;
    struct range r = {va, va + size, asid};
    if (as != &kernel_as && !asid) {
        np_end(NP_VTLB, irq);
        return; /* never active: nothing cached */
    }
    if (asid && size / PAIR < nsets) { /* probe pair by pair */
        for (vaddr_t even = va & ~(vaddr_t)(PAIR - 1); even < r.end; even += PAIR) {
            struct stlb_entry *set = set_of(even | asid);
            for (int w = 0; w < 2; w++) {
                if (set[w].tag == (even | asid))
                    remove_pair(&set[w], va, r.end);
            }
        }
    } else { /* the kernel's space, or a big range: look at everything */
        for (unsigned s = 0; s < nsets; s++) {
            for (unsigned w = 0; w < 2; w++) {
                if (tag_in_range(stlb[s][w].tag, &r))
                    remove_pair(&stlb[s][w], va, r.end);
            }
            /* let interrupts and preemption in every few sets: the tree
             * no longer has the range, so nothing can enter it again, and
             * each entry leaves both TLBs at once */
            if (s % REMOVE_SETS_PER_SECTION == REMOVE_SETS_PER_SECTION - 1) {
                np_end(NP_VTLB, irq);
                irq = np_begin(NP_VTLB);
            }
        }
    }
    np_end(NP_VTLB, irq);
}

void vtlb_flush(struct as *as)
{
    if (as == &kernel_as) {
        vtlb_remove(as, as->lo, as->hi - as->lo);
        return;
    }
    unsigned long irq = np_begin(NP_VTLB);
    uint32_t asid = as->vtlb.asid;
    if (asid) {
        forget_asid(asid);
        asid_owner[asid] = 0;
        as->vtlb.asid = 0;
        if (active == as) /* keep running it: under a clean ASID */
            vtlb_activate(as);
    }
    np_end(NP_VTLB, irq);
}

void vtlb_synchronize(void)
{
    /* enter and remove update the hardware TLB as they go */
}

/* The space a TLB exception at va is a miss in (NULL: none covers va),
 * counted; for the fault entry (fault.c). A refill that missed the
 * software TLB left its mark for the refill statistics. */
struct as *mips_vtlb_fault_space(vaddr_t va)
{
    refill_misses += stlb_refill_missed;
    stlb_refill_missed = 0;
    if (va < USER_END && va >= USER_BASE) {
        stats.user_misses++;
        return active;
    }
    if (va >= KERNEL_MAPPED_BASE && va < KERNEL_MAPPED_END) {
        stats.kernel_misses++;
        return &kernel_as;
    }
    return 0;
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
    write_c0_entryhi(0);
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
