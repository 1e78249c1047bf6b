/* Guest tests of the ring-1 kernel (paper 3.4.2, docs/RING1-x86.md):
 * threads and main run at CPL 1; traps run at ring 0 on the interrupt
 * stack; a privileged instruction at ring 1 is a protection fault; the
 * VTLB's privileged work (CR3 loads, invlpg) still happens from threads. */
#include <arch/paging.h>
#include <arch/x86.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/sched/sched.h>
#include <kernel/timer.h>
#include <kernel/trap.h>
#include <kernel/vm/trap.h>
#include <kernel/vm/vtlb.h>

static bool on_interrupt_stack(uintptr_t a)
{
    return a >= (uintptr_t)interrupt_stack && a < (uintptr_t)interrupt_stack_top;
}

static void record_cpl(void *out)
{
    *(volatile uint32_t *)out = x86_cpl();
}

KTEST(ring1_threads_run_at_cpl1)
{
    KT_ASSERT_EQ(x86_cpl(), 1); /* main, the boot context */
    uint32_t cpl = 99;
    struct thread *t = thread_create("cpl", PRIO_NORMAL, record_cpl, &cpl);
    KT_ASSERT(t);
    thread_join(t);
    KT_ASSERT_EQ(cpl, 1);
}

static struct trap_frame *bp_frame;
static uintptr_t bp_sp;
static uint32_t bp_cpl, bp_cs;

static bool see_breakpoint(struct trap_frame *tf, const struct trap_info *info)
{
    (void)info;
    volatile uint32_t here;
    bp_frame = tf;
    bp_sp = (uintptr_t)&here;
    bp_cpl = x86_cpl();
    bp_cs = tf->cs;
    return true; /* int3 resumes after itself */
}

KTEST(ring1_traps_on_interrupt_stack)
{
    trap_handler old = trap_set_handler(TRAP_BREAKPOINT, see_breakpoint);
    uintptr_t my_sp = (uintptr_t)&old;
    arch_breakpoint();
    trap_set_handler(TRAP_BREAKPOINT, old);
    KT_ASSERT_EQ(bp_cpl, 0);
    KT_ASSERT_EQ(bp_cs, SEL_K1CODE);
    KT_ASSERT(on_interrupt_stack(bp_sp));
    KT_ASSERT(on_interrupt_stack((uintptr_t)bp_frame));
    /* the outermost frame, with the thread's esp/ss pushed by the CPU */
    KT_ASSERT_EQ((uintptr_t)(bp_frame + 1), (uintptr_t)interrupt_stack_top);
    KT_ASSERT(!on_interrupt_stack(my_sp));
    KT_ASSERT(trap_frame_sp(bp_frame) < my_sp + 64 && trap_frame_sp(bp_frame) > my_sp - 256);
}

static int gp_faults;
static uint32_t gp_skip; /* the length of the instruction under test */

static bool skip_gp(struct trap_frame *tf, const struct trap_info *info)
{
    (void)info;
    if ((tf->cs & 3) != 1)
        return false;
    gp_faults++;
    tf->eip += gp_skip;
    return true;
}

KTEST(ring1_privileged_instructions_fault)
{
    trap_handler old = trap_set_handler(TRAP_PROTECTION, skip_gp);
    gp_skip = 1;
    __asm__ volatile("hlt" ::: "memory");
    gp_skip = 3;
    __asm__ volatile("movl %%cr3, %%eax" ::: "eax", "memory");
    gp_skip = 3;
    __asm__ volatile("xorl %%eax, %%eax; movl %%eax, %%cr3" ::: "eax", "memory");
    trap_set_handler(TRAP_PROTECTION, old);
    KT_ASSERT_EQ(gp_faults, 3);
}

#define RW (AS_PROT_READ | AS_PROT_WRITE)

/* From a ring-1 thread: activate a space (a CR3 load), write and read a
 * page through user_ptr (faults in), remove it (invlpg), touch it again. */
static void vtlb_from_thread(void *result)
{
    static struct heap heap;
    static struct as as;
    heap_init(&heap, "ring1 test");
    as_init(&as, "ring1", USER_BASE, USER_END, &heap);
    vaddr_t va = USER_BASE + 5 * PT_SPAN;
    bool ok = as_allocate(&as, &va, PAGE_SIZE, RW) == S_OK;
    vm_activate(&as);
    uint32_t v = 0;
    ok = ok && arch_probe_write32(user_ptr(va), 0x1a2b3c4d);
    vtlb_remove(&as, va, PAGE_SIZE);
    ok = ok && arch_probe_read32(user_ptr(va), &v) && v == 0x1a2b3c4d;
    vtlb_flush(&as);
    ok = ok && arch_probe_read32(user_ptr(va), &v) && v == 0x1a2b3c4d;
    vm_activate(0);
    as_destroy(&as);
    *(volatile bool *)result = ok && x86_cpl() == 1;
}

KTEST(ring1_vtlb_from_thread)
{
    bool ok = false;
    struct thread *t = thread_create("vtlb", PRIO_NORMAL, vtlb_from_thread, &ok);
    KT_ASSERT(t);
    thread_join(t);
    KT_ASSERT(ok);
    /* the fault path ran on the interrupt stack, far from its end */
    size_t used = x86_interrupt_stack_used();
    kprintf("ring1: interrupt stack high-water mark %zu of %u bytes\n", used, INTERRUPT_STACK_SIZE);
    KT_ASSERT(used > sizeof(struct trap_frame) && used < INTERRUPT_STACK_SIZE / 2);
}

/* hlt runs in a ring-0 trap that the waking interrupt nests on: a waiter
 * must still wake at the tick it asked for, both when it halts itself
 * (timer_sleep_ticks) and when it blocks and the idle thread halts (the
 * switch back happens as the idle thread's wait trap returns). */
KTEST(ring1_waits_wake_promptly)
{
    uint64_t start = timer_ticks();
    timer_sleep_ticks(3);
    KT_ASSERT(timer_ticks() - start <= 4);
    start = timer_ticks();
    thread_sleep_ticks(3);
    uint64_t woke = timer_ticks() - start;
    KT_ASSERT(woke >= 3 && woke <= 4);
    KT_ASSERT(arch_irq_enabled());
}

/* The point of ring 1 (paper 3.4.2): a push onto a thread stack page that
 * is not there yet is an ordinary auto-commit fault, taken on the
 * interrupt stack. At ring 0 the CPU would push the fault's frame onto
 * that same missing page: a double fault, then a triple fault. */
KTEST(ring1_stack_fault_is_a_page_fault)
{
    vaddr_t a = 0;
    uint32_t flags = AS_ANYWHERE | RW | AS_COMMIT_AUTO | AS_COMMIT_ALLOC_ZERO;
    KT_ASSERT_EQ(as_allocate(&kernel_as, &a, 2 * PAGE_SIZE, flags), S_OK);
    struct vm_page_stats before, after;
    vm_get_page_stats(&before);
    uint32_t top = (uint32_t)(a + 2 * PAGE_SIZE), got;
    __asm__ volatile("movl %%esp, %%ecx\n\t"
                     "movl %1, %%esp\n\t"
                     "pushl $0x5a17c0de\n\t" /* the fault */
                     "popl %0\n\t"
                     "movl %%ecx, %%esp"
                     : "=r"(got)
                     : "r"(top)
                     : "ecx", "memory");
    KT_ASSERT_EQ(got, 0x5a17c0de);
    vm_get_page_stats(&after);
    KT_ASSERT_EQ(after.autocommit_pages, before.autocommit_pages + 1);
    KT_ASSERT_EQ(*(volatile uint32_t *)(uintptr_t)(top - 4), 0x5a17c0de);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, 2 * PAGE_SIZE), S_OK);
}

/* What ring 1 prevents, done on purpose at ring 0 (a breakpoint
 * handler): a push onto a missing page faults, and the CPU cannot push
 * that fault's frame onto the same stack. The double-fault task reports
 * it (test/harness/selftest.c checks the panic). */
static bool push_on_missing_stack(struct trap_frame *tf, const struct trap_info *info)
{
    (void)tf, (void)info;
    __asm__ volatile("movl %0, %%esp\n\t"
                     "pushl $0" ::"r"(KERNEL_MAPPED_BASE + 0x3000)
                     : "memory");
    return false;
}

KSELFTEST(selftest_double_fault)
{
    trap_set_handler(TRAP_BREAKPOINT, push_on_missing_stack);
    arch_breakpoint();
}
