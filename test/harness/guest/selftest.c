/* Guest tests that misbehave on purpose, so the host harness can show it
 * detects each kind of failure (test/harness/selftest.c). Registered
 * with KSELFTEST: they are never run as ordinary tests. */
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/vm/heap.h>
#include <kernel/panic.h>
#include <kernel/vm/pmem.h>
#include <kernel/sched/sched.h>

KSELFTEST(selftest_fail)
{
    int two = 2;
    KT_ASSERT_EQ(1 + 1, two + 1);
}

KSELFTEST(selftest_panic)
{
    panic("deliberate panic from a guest test");
}

/* A panic on a thread's own (growable) stack: the backtrace must walk it
 * from the panicking function to the thread's entry. (Called through a
 * pointer the compiler cannot see is noreturn, so thread_panics keeps its
 * return address: MIPS backtraces cannot step out of a function that
 * never saved ra.) */
static void (*volatile panic_fn)(const char *fmt, ...) = panic;

__attribute__((noinline)) static void thread_panics(void)
{
    panic_fn("deliberate panic on a thread's stack");
}

static void thread_panic_main(void *arg)
{
    (void)arg;
    thread_panics();
    __asm__ volatile("" ::: "memory"); /* keep the call from being a tail call */
}

KSELFTEST(selftest_thread_panic)
{
    struct thread *t = thread_create("panics", PRIO_NORMAL + 1, thread_panic_main, 0);
    KT_ASSERT(t != 0);
    thread_join(t);
}

KSELFTEST(selftest_hang)
{
    arch_irq_disable();
    for (;;)
        __asm__ volatile("" ::: "memory");
}

KSELFTEST(selftest_leak)
{
    KT_ASSERT(pmem_alloc() != PADDR_NONE);
}

/* One small object left in the kernel heap. */
KSELFTEST(selftest_heap_leak)
{
    KT_ASSERT(heap_alloc(&kernel_heap, 24) != 0);
}

/* Address 0x10 is mapped on neither arch (MIPS kuseg has no TLB entries;
 * x86 maps only the unmapped region). */
KSELFTEST(selftest_null_read)
{
    volatile uint32_t *p = (volatile uint32_t *)0x10;
    (void)*p;
}

/* Nothing is committed at the top of the kernel's mapped space (thread
 * stacks and other kernel allocations come from the bottom). */
KSELFTEST(selftest_kernel_space_write)
{
    *(volatile uint32_t *)(KERNEL_MAPPED_END - 4 * PAGE_SIZE) = 1;
}

/* A stack fault in non-preemptible code with no probe before it: the
 * runner must fail the test (on arches whose stacks grow on demand). */
static void fault_unprobed(void *arg)
{
    (void)arg;
    unsigned long irq = arch_irq_save(); /* non-preemptible, but no probe */
    volatile char *deep = (volatile char *)__builtin_frame_address(0) - 8192;
    *deep = 1;
    arch_irq_restore(irq);
}

KSELFTEST(selftest_unprobed_stack_fault)
{
    struct thread *t = thread_create("unprobed", PRIO_NORMAL - 1, fault_unprobed, 0);
    KT_ASSERT(t != 0);
    thread_join(t);
}
