/* Guest tests of the foundation, run on both arches: formatting on the
 * target (64-bit division comes from kernel/rt), the page allocator on
 * real memory, the timer, exception dispatch, and running on the
 * interrupt stack. */
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/sched/sched.h>
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

/* What a function run by arch_run_on_interrupt_stack saw. */
struct istack_run {
    int arg;
    bool irq_on;
    uintptr_t sp, inner_sp;
};

static bool in_unmapped(uintptr_t a)
{
    return a >= UNMAPPED_BASE && a - UNMAPPED_BASE < UNMAPPED_SIZE;
}

static void inner_run(void *arg)
{
    ((struct istack_run *)arg)->inner_sp = (uintptr_t)__builtin_frame_address(0);
}

static void outer_run(void *arg)
{
    struct istack_run *r = arg;
    r->arg++;
    r->irq_on = arch_irq_enabled();
    r->sp = (uintptr_t)__builtin_frame_address(0);
    arch_run_on_interrupt_stack(inner_run, r); /* already there: it stays */
}

static struct istack_run istack_from_thread;

static void run_from_thread(void *arg)
{
    (void)arg;
    arch_run_on_interrupt_stack(outer_run, &istack_from_thread);
}

/* From a thread's growable stack (x86: ring 1; MIPS: kseg2) and from the
 * boot thread's stack, fn runs in unmapped memory with interrupts off; a
 * nested call stays on the same stack, below; interrupts come back. */
KTEST(arch_runs_on_the_interrupt_stack)
{
    struct istack_run r = {.arg = 41};
    arch_run_on_interrupt_stack(outer_run, &r);
    KT_ASSERT(arch_irq_enabled());
    KT_ASSERT_EQ(r.arg, 42);
    KT_ASSERT(!r.irq_on);
    KT_ASSERT(in_unmapped(r.sp));
    KT_ASSERT(r.inner_sp < r.sp && r.sp - r.inner_sp < 1024);

    struct thread *t = thread_create("istack", PRIO_NORMAL - 1, run_from_thread, 0);
    KT_ASSERT(t != 0);
    uintptr_t lo = t->stack_lo, hi = t->stack_hi;
    thread_join(t);
    struct istack_run *q = &istack_from_thread;
    KT_ASSERT_EQ(q->arg, 1);
    KT_ASSERT(!q->irq_on);
    KT_ASSERT(in_unmapped(q->sp) && (q->sp < lo || q->sp >= hi));
    KT_ASSERT(q->sp == r.sp); /* the same place: the top of one stack */
    KT_ASSERT(q->inner_sp < q->sp && q->sp - q->inner_sp < 1024);
}
