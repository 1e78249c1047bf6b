/* The physical page allocator (see <kernel/vm/pmem.h>). Three bitmaps with
 * one bit per frame: `used` (1 = allocated, reserved, a hole, or parked on
 * the no-erase stack) drives allocation with a next-fit hint, so repeated
 * allocations do not rescan the taken prefix; `pool` (1 = allocatable)
 * lets pmem_free refuse pages that were never the allocator's to hand out;
 * `parked` (1 = on the no-erase stack) catches double frees there.
 *
 * The no-erase stack is an array of frame indices beside the bitmaps, one
 * slot per frame (a frame is parked at most once), sized and placed at
 * boot. It must not live in the pages themselves: a parked page goes to
 * its next owner exactly as its last owner left it, and a link in its
 * first word would hand that owner a kernel physical address instead. */
#include <kernel/panic.h>
#include <kernel/vm/pmem.h>
#include <kernel/string.h>
#include <kernel/sync/lock.h>
#include <stdbool.h>

/* Threads and fault resolution allocate concurrently: every public call
 * after pmem_init is one short non-preemptible section. */
static struct spinlock lock = SPINLOCK_INIT("pmem", NP_SYNC);

static struct {
    uint32_t *used;
    uint32_t *pool;
    uint32_t *parked;
    uint32_t *noerase;  /* the no-erase stack: frame indices, noerase_pages of them */
    size_t first_frame; /* frame number of bit 0 */
    size_t nframes;     /* bits in the bitmap */
    size_t hint;        /* word to start the next search at */
    size_t run_hint;    /* frame to start the next run's search at */
    struct pmem_stats stats;
} pm;

static paddr_t round_up(paddr_t a)
{
    return (a + PAGE_SIZE - 1) & ~(paddr_t)(PAGE_SIZE - 1);
}

static paddr_t round_down(paddr_t a)
{
    return a & ~(paddr_t)(PAGE_SIZE - 1);
}

static bool test_bit(const uint32_t *map, size_t i)
{
    return map[i / 32] & (1u << (i % 32));
}

static void set_bit(uint32_t *map, size_t i)
{
    map[i / 32] |= 1u << (i % 32);
}

static void clear_bit(uint32_t *map, size_t i)
{
    map[i / 32] &= ~(1u << (i % 32));
}

/* Where to put the bitmap: the first page-aligned stretch of a usable
 * range that overlaps no reserved range. */
static paddr_t place_bitmap(const struct mem_range *usable, int nusable,
                            const struct mem_range *reserved, int nreserved, size_t bytes)
{
    for (int i = 0; i < nusable; i++) {
        paddr_t base = round_up(usable[i].base);
        paddr_t end = round_down(usable[i].base + usable[i].size);
        while (base < end && end - base >= bytes) {
            paddr_t hit_end = 0;
            for (int r = 0; r < nreserved; r++) {
                paddr_t rb = reserved[r].base, re = reserved[r].base + reserved[r].size;
                if (rb < base + bytes && re > base && re > hit_end)
                    hit_end = re;
            }
            if (!hit_end)
                return base;
            base = round_up(hit_end);
        }
    }
    return PADDR_NONE;
}

/* Set (taken) or clear (free) bits [lo, hi) of the used bitmap, a whole
 * word at a time where it can: boot marks tens of thousands of frames. */
static void mark_bits(size_t lo, size_t hi, bool free)
{
    while (lo < hi && lo % 32) {
        free ? clear_bit(pm.used, lo) : set_bit(pm.used, lo);
        lo++;
    }
    for (; lo + 32 <= hi; lo += 32)
        pm.used[lo / 32] = free ? 0 : 0xffffffffu;
    for (; lo < hi; lo++)
        free ? clear_bit(pm.used, lo) : set_bit(pm.used, lo);
}

/* Mark the whole pages of [base, base+size) free (free=true) or taken;
 * frames outside the bitmap are ignored. */
static void mark_range(paddr_t base, paddr_t size, bool free)
{
    paddr_t lo = free ? round_up(base) : round_down(base);
    paddr_t hi = free ? round_down(base + size) : round_up(base + size);
    size_t first = pm.first_frame, last = pm.first_frame + pm.nframes;
    size_t flo = lo / PAGE_SIZE, fhi = hi / PAGE_SIZE;
    flo = flo < first ? first : flo;
    fhi = fhi > last ? last : fhi;
    if (flo < fhi)
        mark_bits(flo - first, fhi - first, free);
}

/* Bits past nframes in the last word are always set (taken). */
static size_t count_free(void)
{
    size_t n = 0;
    for (size_t w = 0; w < (pm.nframes + 31) / 32; w++)
        n += 32 - (size_t)__builtin_popcount(pm.used[w]);
    return n;
}

size_t pmem_init(const struct mem_range *usable, int nusable, const struct mem_range *reserved,
                 int nreserved)
{
    paddr_t lo = PADDR_NONE, hi = 0;
    for (int i = 0; i < nusable; i++) {
        paddr_t b = round_up(usable[i].base), e = round_down(usable[i].base + usable[i].size);
        if (b >= e)
            continue;
        lo = b < lo ? b : lo;
        hi = e > hi ? e : hi;
    }
    if (lo >= hi)
        panic("pmem: no usable memory");
    memset(&pm, 0, sizeof pm);
    pm.first_frame = lo / PAGE_SIZE;
    pm.nframes = (hi - lo) / PAGE_SIZE;
    size_t words = (pm.nframes + 31) / 32;
    size_t bytes = (3 * words + pm.nframes) * sizeof(uint32_t);
    paddr_t where = place_bitmap(usable, nusable, reserved, nreserved, bytes);
    if (where == PADDR_NONE)
        panic("pmem: no room for %zu bytes of bitmaps and no-erase stack", bytes);
    pm.used = phys_to_virt(where);
    pm.pool = pm.used + words;
    pm.parked = pm.pool + words;
    pm.noerase = pm.parked + words;

    memset(pm.used, 0xff, words * sizeof(uint32_t)); /* holes between ranges stay taken */
    memset(pm.parked, 0, words * sizeof(uint32_t));
    for (int i = 0; i < nusable; i++)
        mark_range(usable[i].base, usable[i].size, true);
    size_t usable_pages = count_free();
    for (int r = 0; r < nreserved; r++)
        mark_range(reserved[r].base, reserved[r].size, false);
    mark_range(where, bytes, false);
    for (size_t w = 0; w < words; w++)
        pm.pool[w] = ~pm.used[w];

    pm.stats.free_pages = count_free();
    pm.stats.total_pages = pm.stats.free_pages;
    pm.stats.reserved_pages = usable_pages - pm.stats.free_pages;
    return pm.stats.free_pages;
}

static paddr_t alloc_from_bitmap(void)
{
    size_t words = (pm.nframes + 31) / 32;
    for (size_t n = 0; n < words; n++) {
        size_t w = (pm.hint + n) % words;
        if (pm.used[w] == 0xffffffffu)
            continue;
        size_t i = w * 32 + (size_t)__builtin_ctz(~pm.used[w]);
        if (i >= pm.nframes)
            continue;
        set_bit(pm.used, i);
        pm.hint = w;
        return (paddr_t)(pm.first_frame + i) * PAGE_SIZE;
    }
    return PADDR_NONE;
}

static paddr_t pop_noerase(void)
{
    if (!pm.stats.noerase_pages)
        return PADDR_NONE;
    size_t i = pm.noerase[--pm.stats.noerase_pages];
    clear_bit(pm.parked, i);
    return (paddr_t)(pm.first_frame + i) * PAGE_SIZE;
}

static paddr_t alloc_page_locked(bool prefer_unerased, bool *unerased)
{
    paddr_t p = prefer_unerased ? pop_noerase() : PADDR_NONE;
    *unerased = p != PADDR_NONE;
    if (p == PADDR_NONE)
        p = alloc_from_bitmap();
    if (p == PADDR_NONE) {
        p = pop_noerase();
        *unerased = p != PADDR_NONE;
    }
    if (p == PADDR_NONE) {
        pm.stats.failures++;
        return p;
    }
    pm.stats.free_pages--;
    pm.stats.allocs++;
    return p;
}

paddr_t pmem_alloc_page(bool prefer_unerased, bool *unerased)
{
    return pmem_alloc_page_above(0, prefer_unerased, unerased);
}

paddr_t pmem_alloc_page_above(size_t keep, bool prefer_unerased, bool *unerased)
{
    spin_lock(&lock);
    paddr_t p = PADDR_NONE;
    *unerased = false;
    if (pm.stats.free_pages > keep)
        p = alloc_page_locked(prefer_unerased, unerased);
    else
        pm.stats.failures++;
    spin_unlock(&lock);
    return p;
}

paddr_t pmem_alloc(void)
{
    bool unerased;
    return pmem_alloc_page(false, &unerased);
}

/* The frame index of a page being freed, after checking that it is a page
 * this allocator handed out and that it is not free already. */
static size_t checked_frame(paddr_t page)
{
    size_t frame = page / PAGE_SIZE;
    if (page % PAGE_SIZE || frame < pm.first_frame || frame - pm.first_frame >= pm.nframes)
        panic("pmem_free: %#lx is not a managed page", (unsigned long)page);
    size_t i = frame - pm.first_frame;
    if (!test_bit(pm.pool, i))
        panic("pmem_free: page %#lx was never allocatable", (unsigned long)page);
    if (!test_bit(pm.used, i) || test_bit(pm.parked, i))
        panic("pmem_free: page %#lx is already free", (unsigned long)page);
    return i;
}

void pmem_free(paddr_t page)
{
    spin_lock(&lock);
    clear_bit(pm.used, checked_frame(page));
    pm.stats.free_pages++;
    pm.stats.frees++;
    spin_unlock(&lock);
}

void pmem_free_noerase(paddr_t page)
{
    spin_lock(&lock);
    size_t i = checked_frame(page);
    set_bit(pm.parked, i);
    pm.noerase[pm.stats.noerase_pages++] = (uint32_t)i; /* room: one slot per frame */
    pm.stats.free_pages++;
    pm.stats.frees++;
    spin_unlock(&lock);
}

/* n free frames in a row from frame `from` on, before frame `to`; the
 * first, or SIZE_MAX. */
static size_t find_run(size_t n, size_t from, size_t to)
{
    size_t run = 0;
    for (size_t i = from; i < to; i++) {
        run = test_bit(pm.used, i) ? 0 : run + 1;
        if (run == n)
            return i + 1 - n;
    }
    return SIZE_MAX;
}

/* Next fit: the search starts where the last run ended, so a kernel that
 * takes and returns runs (call images, stacks) does not walk over every
 * frame in use below them each time. */
paddr_t pmem_alloc_run(size_t n)
{
    spin_lock(&lock);
    size_t first = find_run(n, pm.run_hint, pm.nframes);
    if (first == SIZE_MAX)
        first = find_run(n, 0, pm.nframes);
    paddr_t found = PADDR_NONE;
    if (first != SIZE_MAX) {
        mark_bits(first, first + n, false);
        pm.stats.free_pages -= n;
        pm.stats.allocs += n;
        pm.run_hint = first + n;
        found = (paddr_t)(pm.first_frame + first) * PAGE_SIZE;
    } else {
        pm.stats.failures++;
    }
    spin_unlock(&lock);
    return found;
}

void pmem_free_run(paddr_t first, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pmem_free(first + i * PAGE_SIZE);
}

bool pmem_page_in_use(paddr_t page)
{
    size_t frame = page / PAGE_SIZE;
    if (frame < pm.first_frame || frame - pm.first_frame >= pm.nframes)
        return false;
    size_t i = frame - pm.first_frame;
    spin_lock(&lock);
    bool used = test_bit(pm.used, i) && !test_bit(pm.parked, i);
    spin_unlock(&lock);
    return used;
}

void pmem_get_stats(struct pmem_stats *stats)
{
    spin_lock(&lock);
    *stats = pm.stats;
    spin_unlock(&lock);
}
