/* Benchmarks of processes and kernel calls from user mode (tools/bench
 * runs them under qemu -icount shift=0, so arch_cycles counts guest
 * instructions). Each figure is the difference between two runs of
 * apps/test_bench, one doing an operation N times and one doing nothing
 * as many times, divided by N: process start and exit cancel out. */
#include "test_object.h"
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/proc/process.h>
#include <kernel/proc/uexception.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/object.h>

/* The Extra handle test_bench gets: the test object, or (map modes) a
 * memory object. */
static IUnknown *extra;
static const IID *extra_iid = &IID_ITestObject;

/* Instructions to run test_bench MODE N to its end; its exit status in *code. */
static uint64_t run(const char *mode, unsigned long n, int32_t *code)
{
    char count[16];
    ksnprintf(count, sizeof count, "%lu", n);
    struct process *p;
    uint64_t t0 = arch_cycles();
    if (FAILED(process_spawn_with("test_bench", 3, (const char *const[]){"test_bench", mode, count},
                                  extra ? extra : test_object(), extra_iid, &p)))
        return 0;
    *code = process_wait(p);
    uint64_t t = arch_cycles() - t0;
    process_release(p);
    return t;
}

/* Per-operation instructions of MODE against the empty loop. */
static uint64_t per_op(const char *mode, const char *base, unsigned long n)
{
    int32_t c1 = -1, c2 = -1;
    uint64_t with = run(mode, n, &c1), without = run(base, n, &c2);
    if (c1 != 0 || c2 != 0 || with < without) {
        ktest_fail(__FILE__, __LINE__, "test_bench %s: %d, %s: %d", mode, c1, base, c2);
        return 0;
    }
    return (with - without) / n;
}

KBENCH(bench_user_calls)
{
    extra = 0, extra_iid = &IID_ITestObject;
    enum { CALLS = 4000, PAGES = 256, ROUNDS = 500 };
    uint64_t null = per_op("null", "loop", CALLS), peek = per_op("peek", "loop", CALLS);
    uint64_t fill = per_op("fill", "loop", CALLS);
    kprintf("bench: user_calls arch=%s null=%llu peek_4k=%llu fill_4=%llu\n", ARCH_NAME,
            (unsigned long long)null, (unsigned long long)peek, (unsigned long long)fill);
    int32_t c1, c2;
    uint64_t scratch = run("scratch", 0, &c1), trap = run("trap", 0, &c2);
    KT_ASSERT_EQ(c1, (int32_t)UEXC_ACCESS_VIOLATION);
    KT_ASSERT(c2 == (int32_t)UEXC_ILLEGAL || c2 == (int32_t)UEXC_BREAKPOINT); /* __builtin_trap */
    kprintf("bench: user_scratch arch=%s call_tripping_scratch=%llu\n", ARCH_NAME,
            (unsigned long long)(scratch > trap ? scratch - trap + fill : 0));
    uint64_t spawn = run("loop", 0, &c1);
    kprintf("bench: user_process arch=%s create_run_exit_reap=%llu\n", ARCH_NAME,
            (unsigned long long)spawn);
    uint64_t touch = per_op("touch", "notouch", PAGES), alloc = per_op("alloc", "loop", ROUNDS);
    uint64_t protect = per_op("protect", "loop", ROUNDS);
    uint64_t allocauto = per_op("allocauto", "loop", ROUNDS);
    kprintf("bench: user_vm arch=%s first_touch=%llu alloc_dealloc_64k=%llu protect_16=%llu "
            "alloc_dealloc_64k_auto=%llu\n",
            ARCH_NAME, (unsigned long long)touch, (unsigned long long)alloc,
            (unsigned long long)protect, (unsigned long long)allocauto);
}

static void free_space(struct as *as, void *arg)
{
    (void)arg;
    as_destroy(as);
    heap_free(&kernel_heap, as);
}

/* Map from user mode, of a space the kernel made (its IMemoryObject is
 * test_bench's Extra handle; the program allocates the source pages). */
KBENCH(bench_user_map)
{
    enum { ROUNDS = 200, PAGES = 256 };
    struct as *as = heap_alloc(&kernel_heap, sizeof *as);
    KT_ASSERT(as);
    as_init(as, "bench source", USER_BASE, USER_END, &kernel_heap);
    IAddressSpace *ias = as_object_create(as, free_space, 0);
    KT_ASSERT(ias);
    IMemoryObject *mem = 0;
    KT_ASSERT_EQ(IAddressSpace_QueryInterface(ias, &IID_IMemoryObject, (void **)&mem), S_OK);
    IAddressSpace_Release(ias);
    extra = (IUnknown *)mem, extra_iid = &IID_IMemoryObject;
    uint64_t map16 = per_op("map16", "mapbase", ROUNDS), cow = per_op("cow", "cowread", PAGES);
    extra = 0, extra_iid = &IID_ITestObject;
    IMemoryObject_Release(mem);
    kprintf("bench: user_map arch=%s map16_touch_deallocate=%llu cow_fault=%llu\n", ARCH_NAME,
            (unsigned long long)map16, (unsigned long long)cow);
}
