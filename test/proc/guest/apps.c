/* Guest tests driven from user programs (apps/test_*, in kernel-test.elf's
 * boot archive): each runs as a process and its exit status is the
 * verdict; the runner then checks every page and heap byte came back. */
#include <kernel/ktest.h>
#include "run.h"
#include "test_object.h"
#include <kernel/kprintf.h>
#include <kernel/proc/process.h>
#include <kernel/proc/uexception.h>
#include <kernel/sched/sched.h>
#include <kernel/vm/vm.h>

#define RUN1(name) run_program(1, (const char *const[]){name})

KTEST(user_smoke)
{
    KT_ASSERT_EQ(RUN1("test_smoke"), 0);
}

KTEST(user_address_space_methods)
{
    KT_ASSERT_EQ(RUN1("test_vm"), 0);
}

KTEST(user_hostile_arguments_get_error_codes)
{
    KT_ASSERT_EQ(RUN1("test_hostile"), 0);
}

/* An out buffer the kernel call cannot write (paper 3.4.1): the scratch
 * page stands in, the call finishes, and the exception ends the process
 * as the call returns: an access violation, not a panic. */
static void bad_out_buffer(const char *kind)
{
    KT_ASSERT_EQ(run_program(2, (const char *const[]){"test_hostile", kind}),
                 (int32_t)UEXC_ACCESS_VIOLATION);
}

KTEST(user_read_only_out_buffer_is_an_exception)
{
    bad_out_buffer("ro");
}

KTEST(user_freed_out_buffer_is_an_exception)
{
    bad_out_buffer("freed");
}

KTEST(user_guard_page_out_buffer_is_an_exception)
{
    bad_out_buffer("guard");
}

/* Another process's handle names nothing here. */
KTEST(user_foreign_handle_is_refused)
{
    struct process *other;
    KT_ASSERT_EQ(process_spawn("test_smoke", 1, (const char *const[]){"test_smoke"}, &other), S_OK);
    char h[16];
    ksnprintf(h, sizeof h, "%#x", other->handles.slots[1].handle);
    KT_ASSERT_EQ(run_program(3, (const char *const[]){"test_hostile", "foreign", h}), 0);
    KT_ASSERT_EQ(process_wait(other), 0);
    process_release(other);
}

/* Run test_hostile MODE, terminate it with code after a few ticks, and
 * expect it to end with that code. */
static void kill_after_a_while(const char *mode, int32_t code)
{
    struct process *p;
    KT_ASSERT_EQ(process_spawn("test_hostile", 2, (const char *const[]){"test_hostile", mode}, &p),
                 S_OK);
    thread_sleep_ticks(5);
    process_terminate(p, code);
    KT_ASSERT_EQ(process_wait(p), code);
    process_release(p);
}

/* Terminated in the middle of its kernel calls, a process leaks nothing
 * (the runner checks pages and heap after the test). */
KTEST(user_killed_in_a_call_leaks_nothing)
{
    kill_after_a_while("spin", 42);
}

/* Two processes keep different values at the same address while they
 * take turns: neither sees the other's memory. */
KTEST(user_processes_cannot_see_each_other)
{
    struct process *a, *b;
    KT_ASSERT_EQ(process_spawn("test_hostile", 3,
                               (const char *const[]){"test_hostile", "secret", "0x1111"}, &a),
                 S_OK);
    KT_ASSERT_EQ(process_spawn("test_hostile", 3,
                               (const char *const[]){"test_hostile", "secret", "0x2222"}, &b),
                 S_OK);
    KT_ASSERT_EQ(process_wait(a), 0);
    KT_ASSERT_EQ(process_wait(b), 0);
    process_release(a);
    process_release(b);
}

/* A user exception ends its process with a report and Windows' exit code;
 * the kernel runs on (and the runner finds nothing leaked). The harness
 * checks the report symbolizes (test/proc/fault_report.c). */
static void fault(const char *mode, uint32_t code)
{
    KT_ASSERT_EQ(run_program(2, (const char *const[]){"test_fault", mode}), (int32_t)code);
}

KTEST(user_fault_null_read)
{
    fault("null", UEXC_ACCESS_VIOLATION);
}

KTEST(user_fault_kernel_write)
{
    fault("kernel", UEXC_ACCESS_VIOLATION);
}

KTEST(user_fault_illegal_instruction)
{
    fault("illegal", UEXC_ILLEGAL);
}

KTEST(user_fault_breakpoint)
{
    fault("break", UEXC_BREAKPOINT);
}

KTEST(user_threads_run_and_join)
{
    KT_ASSERT_EQ(run_program(2, (const char *const[]){"test_threads", "join"}), 0);
}

KTEST(user_events_set_wait_and_time_out)
{
    KT_ASSERT_EQ(run_program(2, (const char *const[]){"test_threads", "events"}), 0);
}

/* Paper 3.4.1: scratch mappings go at every switch, so a thread never sees
 * another's scratch page (0xBAD if it did). */
KTEST(user_threads_never_share_the_scratch_page)
{
    struct process *p;
    KT_ASSERT_EQ(process_spawn_with("test_threads", 2,
                                    (const char *const[]){"test_threads", "scratch"}, test_object(),
                                    &IID_ITestObject, &p),
                 S_OK);
    int32_t code = process_wait(p);
    process_release(p);
    KT_ASSERT_EQ(code, (int32_t)UEXC_ACCESS_VIOLATION);
}

/* Exceptions a process handles (IProcess::SetExceptionHandler): demand
 * commit by the handler, a declined one, one inside the handler, and one
 * a kernel call left pending, seen as the call returns. */
KTEST(user_exception_handler_commits_on_demand)
{
    fault("handled", 0);
}

KTEST(user_exception_handler_declines)
{
    fault("unhandled", UEXC_ACCESS_VIOLATION);
}

KTEST(user_exception_in_the_handler_ends_the_process)
{
    fault("nested", UEXC_ACCESS_VIOLATION);
}

KTEST(user_exception_from_a_kernel_call_reaches_the_handler)
{
    fault("call", 0);
}

/* A process that touches more auto-commit memory than the machine has
 * ends with an access violation when none is left; the kernel, which
 * needed none of it, runs on, and every page comes back. */
KTEST(user_exhausting_memory_ends_the_process)
{
    KT_ASSERT_EQ(run_program(2, (const char *const[]){"test_hostile", "exhaust"}),
                 (int32_t)UEXC_ACCESS_VIOLATION);
}

/* The same memory written by a kernel call on the process's behalf: the
 * kernel's fault that finds no memory is the caller's access violation
 * as the call returns (the scratch page stands in meanwhile), not a
 * panic. test_fuzz found it (seed 17: ITestObject::Fill into an
 * auto-commit range larger than the machine). */
KTEST(user_exhausting_memory_in_a_kernel_call_ends_the_process)
{
    struct process *p;
    KT_ASSERT_EQ(process_spawn_with("test_hostile", 2,
                                    (const char *const[]){"test_hostile", "exhaust-call"},
                                    test_object(), &IID_ITestObject, &p),
                 S_OK);
    int32_t code = process_wait(p);
    process_release(p);
    KT_ASSERT_EQ(code, (int32_t)UEXC_ACCESS_VIOLATION);
}

/* A process that keeps all the memory it could get (a handler goes on
 * after the call whose fault found none) and then makes threads: the
 * kernel's own memory (kernel stacks, objects) comes from what processes
 * must leave free (VM_KERNEL_RESERVE). Threads are refused, or a new
 * thread's user stack finds no page and the process ends with an access
 * violation; the kernel never panics. test_fuzz found the panic (seed
 * 17: a kernel stack's auto-commit fault with no page left). */
KTEST(user_holding_all_memory_leaves_the_kernel_its_own)
{
    struct process *p;
    KT_ASSERT_EQ(process_spawn_with("test_hostile", 2,
                                    (const char *const[]){"test_hostile", "exhaust-hold"},
                                    test_object(), &IID_ITestObject, &p),
                 S_OK);
    int32_t code = process_wait(p);
    process_release(p);
    KT_ASSERT(code == 0 || code == (int32_t)UEXC_ACCESS_VIOLATION);
}

/* A process cannot make threads without bound (PROC_MAX_THREADS). */
KTEST(user_threads_are_bounded)
{
    KT_ASSERT_EQ(run_program(2, (const char *const[]){"test_threads", "many"}), 0);
}

/* Terminated while it waits in the kernel for a line that never comes, a
 * process still ends. */
KTEST(user_killed_while_waiting_for_input)
{
    kill_after_a_while("read", 43);
}

/* The Win32 memory functions in a process (apps/test_win32): each of
 * Windows' rules the runtime keeps, checked case by case. */
KTEST(user_win32_memory_rules)
{
    KT_ASSERT_EQ(RUN1("test_win32"), 0);
}

/* A PAGE_GUARD page's access with no exception handler ends the process
 * with STATUS_GUARD_PAGE_VIOLATION. */
KTEST(user_win32_unhandled_guard_page)
{
    KT_ASSERT_EQ(run_program(2, (const char *const[]){"test_win32", "guard"}),
                 (int32_t)UEXC_GUARD_PAGE);
}

/* The paper's measurement of the zero/erase policy (2.1) in a scenario
 * that uses VirtualAlloc: pages zero-filled, erased and handed out
 * unerased while a process starts, runs the workload (32 pages committed
 * by VirtualAlloc) and ends, with VirtualAlloc asking for alloc-zero
 * (Windows' rule) and without. A first run leaves its code pages free
 * unerased, as a system that has run programs before has them. */
static struct vm_page_stats scenario_run(const char *mode)
{
    const char *const argv[] = {"test_win32", "scenario", mode};
    struct vm_page_stats a, b;
    if (run_program(3, argv))
        ktest_fail(__FILE__, __LINE__, "the first run of %s failed", mode);
    vm_get_page_stats(&a);
    if (run_program(3, argv))
        ktest_fail(__FILE__, __LINE__, "the second run of %s failed", mode);
    vm_get_page_stats(&b);
    return (struct vm_page_stats){
        .pages_zero_filled = b.pages_zero_filled - a.pages_zero_filled,
        .pages_erased = b.pages_erased - a.pages_erased,
        .pages_unerased = b.pages_unerased - a.pages_unerased,
    };
}

static unsigned percent_spared(const struct vm_page_stats *s)
{
    uint64_t all = s->pages_zero_filled + s->pages_erased + s->pages_unerased;
    return all ? (unsigned)(100 * s->pages_unerased / all) : 0;
}

KTEST(user_win32_zero_erase_figures)
{
    struct vm_page_stats z = scenario_run("zero"), n = scenario_run("nozero");
    kprintf("win32 zero/erase: alloc-zero: zero-filled %llu erased %llu unerased %llu "
            "(%u%% fewer zeroed or erased); no alloc-zero: zero-filled %llu erased %llu "
            "unerased %llu (%u%% fewer)\n",
            (unsigned long long)z.pages_zero_filled, (unsigned long long)z.pages_erased,
            (unsigned long long)z.pages_unerased, percent_spared(&z),
            (unsigned long long)n.pages_zero_filled, (unsigned long long)n.pages_erased,
            (unsigned long long)n.pages_unerased, percent_spared(&n));
    /* alloc-zero: VirtualAlloc's 32 pages were all zero-filled */
    KT_ASSERT(z.pages_zero_filled >= 32);
    KT_ASSERT_EQ(z.pages_zero_filled - n.pages_zero_filled, 32);
    /* without it they may take pages freed unerased */
    KT_ASSERT(n.pages_unerased > z.pages_unerased);
    KT_ASSERT_EQ(z.pages_zero_filled + z.pages_erased + z.pages_unerased,
                 n.pages_zero_filled + n.pages_erased + n.pages_unerased);
}
