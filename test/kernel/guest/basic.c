/* Guest tests of the foundation, run on both arches: formatting on the
 * target (64-bit division comes from kernel/rt), the page allocator on
 * real memory, the timer, and exception dispatch. */
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/vm/pmem.h>
#include <kernel/string.h>
#include <kernel/timer.h>
#include <kernel/trap.h>

#define STR_EQ(a, b) (strcmp((a), (b)) == 0)

KTEST(kformat_on_target)
{
    char buf[64];
    ksnprintf(buf, sizeof buf, "%llu", 18446744073709551615ull);
    KT_ASSERT(STR_EQ(buf, "18446744073709551615"));
    ksnprintf(buf, sizeof buf, "%lld|%llx", -9223372036854775807ll - 1, 0xfedcba9876543210ull);
    KT_ASSERT(STR_EQ(buf, "-9223372036854775808|fedcba9876543210"));
    ksnprintf(buf, sizeof buf, "[%-6s|%06d|%#x]", "ab", -42, 255u);
    KT_ASSERT(STR_EQ(buf, "[ab    |-00042|0xff]"));
    KT_ASSERT_EQ(ksnprintf(buf, 4, "%s", "truncated"), 9);
    KT_ASSERT(STR_EQ(buf, "tru"));
}

/* Chain every page we can get through its own first word, check each is
 * distinct memory holding what we wrote, then give them all back. */
KTEST(pmem_exhaust_and_refill)
{
    struct pmem_stats before, empty, after;
    pmem_get_stats(&before);
    paddr_t head = PADDR_NONE;
    size_t n = 0;
    for (paddr_t p; (p = pmem_alloc()) != PADDR_NONE; n++) {
        KT_ASSERT_EQ(p % PAGE_SIZE, 0);
        uint32_t *page = phys_to_virt(p);
        page[0] = (uint32_t)head;
        page[1] = (uint32_t)p ^ 0x5a5a5a5au;
        head = p;
    }
    pmem_get_stats(&empty);
    KT_ASSERT_EQ(n, before.free_pages);
    KT_ASSERT_EQ(empty.free_pages, 0);
    KT_ASSERT_EQ(empty.failures, before.failures + 1);
    size_t freed = 0;
    while (head != PADDR_NONE) {
        uint32_t *page = phys_to_virt(head);
        KT_ASSERT_EQ(page[1], (uint32_t)head ^ 0x5a5a5a5au);
        paddr_t next = page[0];
        pmem_free(head);
        head = next;
        freed++;
    }
    pmem_get_stats(&after);
    KT_ASSERT_EQ(freed, n);
    KT_ASSERT_EQ(after.free_pages, before.free_pages);
    KT_ASSERT_EQ(after.allocs - before.allocs, n);
    KT_ASSERT_EQ(after.frees - before.frees, n);
}

KTEST(timer_ticks_advance)
{
    uint64_t t0 = timer_ticks(), c0 = arch_cycles();
    timer_sleep_ticks(5);
    uint64_t t1 = timer_ticks(), c1 = arch_cycles();
    KT_ASSERT(t1 >= t0 + 5);
    KT_ASSERT(t1 <= t0 + 7);
    KT_ASSERT(c1 > c0);
}

static int breakpoints;
static enum trap_kind last_kind;

static bool count_breakpoint(struct trap_frame *tf, const struct trap_info *info)
{
    (void)tf;
    breakpoints++;
    last_kind = info->kind;
    return true;
}

KTEST(trap_breakpoint_resumes)
{
    trap_handler old = trap_set_handler(TRAP_BREAKPOINT, count_breakpoint);
    arch_breakpoint();
    arch_breakpoint();
    trap_set_handler(TRAP_BREAKPOINT, old);
    KT_ASSERT_EQ(breakpoints, 2);
    KT_ASSERT_EQ(last_kind, TRAP_BREAKPOINT);
}

/* The compiler runtime's memcpy/memset, aligned (word loops) and not. */
KTEST(rt_memcpy_memset)
{
    static uint8_t src[300], dst[300];
    for (int i = 0; i < 300; i++)
        src[i] = (uint8_t)(i * 7 + 1);
    for (int off = 0; off < 8; off++) {
        for (int len = 0; len < 200; len += 13) {
            memset(dst, 0xee, sizeof dst);
            memcpy(dst + off, src + off, (size_t)len);
            for (int i = 0; i < 300; i++) {
                uint8_t want = i >= off && i < off + len ? src[i] : 0xee;
                KT_ASSERT_EQ(dst[i], want);
            }
            memset(dst + off, 0x3c, (size_t)len);
            for (int i = 0; i < 300; i++)
                KT_ASSERT_EQ(dst[i], i >= off && i < off + len
                                         ? 0x3c
                                         : (i >= off && i < off + len ? src[i] : 0xee));
        }
    }
}
