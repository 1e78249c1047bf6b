/* The guest test runner (see <kernel/ktest.h>). */
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/physmap.h>
#include <kernel/vm/pmem.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>

extern const struct ktest __ktests_start[], __ktests_end[];

static char failure[256];

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
    if (failure[0])
        return;
    int n = ksnprintf(failure, sizeof failure, "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof failure)
        kvsnprintf(failure + n, sizeof failure - (size_t)n, fmt, ap);
    va_end(ap);
}

bool ktest_failed(void)
{
    return failure[0] != '\0';
}

static const char *const kind_names[] = {"list", "list-selftest", "list-bench"};

static void list_tests(void)
{
    for (const struct ktest *t = __ktests_start; t < __ktests_end; t++)
        kprintf("ktest: %s %s\n", kind_names[t->kind], t->name);
    kprintf("ktest: list-end\n");
}

static const struct ktest *find_test(const char *name)
{
    for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
        if (strcmp(t->name, name) == 0)
            return t;
    }
    return 0;
}

/* A heap's live objects, in bytes: a leaked object in a slab that stays
 * held for others would not show in the free page count. */
static void check_heap(const struct heap *h, size_t before)
{
    if (!ktest_failed() && h->bytes != before)
        ktest_fail(__FILE__, __LINE__, "heap %s: %zu bytes in use before, %zu after", h->name,
                   before, h->bytes);
}

/* What the runner found when the test began (or rebaselined). */
static struct pmem_stats before;
static size_t heap_before, as_heap_before, driver_heap_before;

void ktest_rebaseline(void)
{
    heap_before = kernel_heap.bytes, as_heap_before = kernel_as_heap.bytes;
    driver_heap_before = driver_heap.bytes;
    pmem_get_stats(&before);
}

static void run_test(const struct ktest *t)
{
    struct pmem_stats after;
    ktest_rebaseline();
    uint64_t unprobed = stack_unprobed_faults();
    kprintf("ktest: run %s\n", t->name);
    t->fn();
    pmem_get_stats(&after);
    if (!ktest_failed() && stack_unprobed_faults() != unprobed)
        ktest_fail(__FILE__, __LINE__, "%llu unprobed stack faults in non-preemptible code",
                   (unsigned long long)(stack_unprobed_faults() - unprobed));
    check_heap(&kernel_heap, heap_before); /* first: a leaked object may hold its slab */
    check_heap(&kernel_as_heap, as_heap_before);
    check_heap(&driver_heap, driver_heap_before);
    if (!ktest_failed() && after.free_pages != before.free_pages)
        ktest_fail(__FILE__, __LINE__, "free pages %zu before, %zu after", before.free_pages,
                   after.free_pages);
}

static const char *cmdline;

const char *ktest_cmdline(void)
{
    return cmdline;
}

void ktest_main(const char *name, const char *kernel_cmdline)
{
    cmdline = kernel_cmdline;
    if (strcmp(name, "list") == 0) {
        list_tests();
        arch_exit(0);
    }
    const struct ktest *t = find_test(name);
    if (!t) {
        kprintf("ktest: verdict %s fail: no such test\n", name);
        arch_exit(1);
    }
    run_test(t);
    if (ktest_failed()) {
        kprintf("ktest: verdict %s fail: %s\n", name, failure);
        arch_exit(1);
    }
    kprintf("ktest: verdict %s pass\n", name);
    arch_exit(0);
}
