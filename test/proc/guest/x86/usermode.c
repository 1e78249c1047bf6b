/* Guest tests of x86 user mode (docs/RING1-x86.md, paper 3.4.2): user
 * threads run at ring 3; `int $0x80` reaches kcall_enter at ring 1 on the
 * thread's kernel stack with the handle, method and block, and its result
 * comes back in eax; ring 3 can touch neither kernel_as nor the direct
 * map, nor run privileged instructions, nor raise the kernel's own
 * vectors; the timer preempts ring 3 and resumes it; a user exception
 * becomes ring-1 thread code (arch_frame_call_kernel), which either ends
 * the thread or goes back (arch_return_to_user).
 *
 * The user programs are assembled into the kernel image (below) and
 * copied into a user page; they reach their data only through absolute
 * user addresses, so they run wherever they are copied. */
#include <arch/paging.h>
#include <arch/user.h>
#include <arch/x86.h>
#include <kernel/ipc/kcall.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/trap.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/trap.h>
#include <kernel/vm/vtlb.h>

#define UCODE      0x00400000 /* the program's page (no u suffixes: the assembler reads these) */
#define UDATA      0x00401000 /* its data */
#define USTACK_TOP 0x00403000 /* its stack: the page below */
#define USER_PAGES 3

/* Words of the data page (byte offsets). */
#define D_RESULT  0x00 /* eax after the kernel call */
#define D_CS      0x04 /* %cs as the program saw it */
#define D_EFLAGS  0x08 /* EFLAGS as the program saw it */
#define D_COUNT_A 0x0c /* busy loops' counters */
#define D_COUNT_B 0x10
#define D_STOP    0x14 /* nonzero: busy loops end */
#define D_RESUMED 0x18 /* eax after arch_return_to_user */
#define D_REGS    0x20 /* ecx edx ebx esi edi ebp esp after the call */
#define D_TSC     0x40 /* the benchmark's TSC before and after (low words) */
#define D_WRONG   0x48 /* calls whose result was not the expected one */

#define METHOD_ECHO  7  /* the hook records the call, returns ECHO_RESULT */
#define METHOD_EXIT  9  /* the hook ends the thread */
#define METHOD_YIELD 11 /* the hook yields inside the call, returns handle << 16 | block */
#define YIELD_CALLS  50
#define NULL_CALLS   1000
#define ECHO_HANDLE  0x11223344
#define ECHO_RESULT  0x0badcafe

#define XSTR(x) #x
#define STR(x)  XSTR(x)

/* A kernel call that ends the calling thread, then never falls through. */
#define ASM_EXIT "   movl $" STR(METHOD_EXIT) ", %edx\n   int $0x80\n   jmp .\n"

/* The user programs. Each ends with a kernel call that ends its thread. */
// clang-format off
__asm__(".section .rodata.usermode, \"a\"\n"
    /* (a), (b): one call, then what the program sees afterwards */
    "prog_kcall:\n"
    "   movl $0xb0b0b0b0, %ebx\n"
    "   movl $0x51515151, %esi\n"
    "   movl $0xd1d1d1d1, %edi\n"
    "   movl $0xbebebebe, %ebp\n"
    "   movl $" STR(ECHO_HANDLE) ", %eax\n"
    "   movl $" STR(METHOD_ECHO) ", %edx\n"
    "   movl $" STR(UDATA) ", %ecx\n"
    "   int $0x80\n"
    "   movl %eax, " STR(UDATA + D_RESULT) "\n"
    "   movl %ecx, " STR(UDATA + D_REGS) "\n"
    "   movl %edx, " STR(UDATA + D_REGS + 4) "\n"
    "   movl %ebx, " STR(UDATA + D_REGS + 8) "\n"
    "   movl %esi, " STR(UDATA + D_REGS + 12) "\n"
    "   movl %edi, " STR(UDATA + D_REGS + 16) "\n"
    "   movl %ebp, " STR(UDATA + D_REGS + 20) "\n"
    "   movl %esp, " STR(UDATA + D_REGS + 24) "\n"
    "   movl %cs, %ebx\n"
    "   movl %ebx, " STR(UDATA + D_CS) "\n"
    "   pushfl\n"
    "   popl %ebx\n"
    "   movl %ebx, " STR(UDATA + D_EFLAGS) "\n"
    ASM_EXIT
    "prog_kcall_end:\n"
    /* (c), (f): read the word at linear eax; store what eax is after */
    "prog_peek:\n"
    "   movl (%eax), %eax\n"
    "   movl %eax, " STR(UDATA + D_RESUMED) "\n"
    ASM_EXIT
    "prog_peek_end:\n"
    /* (d): each of these traps; the handlers skip it */
    "prog_priv:\n"
    "   cli\n"
    "   inb $0x60, %al\n"
    "   hlt\n"
    "   movl %cr3, %eax\n"
    "   int $0x81\n"
    "   int $0x82\n"
    "   int $0x83\n"
    "   int $0x84\n"
    "   ud2\n"
    "   int3\n"
    "   pushfl\n"
    "   popl %ebx\n"
    "   movl %ebx, " STR(UDATA + D_EFLAGS) "\n"
    ASM_EXIT
    "prog_priv_end:\n"
    /* (e): count at user address eax until told to stop */
    "prog_spin:\n"
    "1: incl (%eax)\n"
    "   cmpl $0, " STR(UDATA + D_STOP) "\n"
    "   je 1b\n"
    ASM_EXIT
    "prog_spin_end:\n"
    /* calls that yield inside the kernel: id in eax at the start */
    "prog_yield:\n"
    "   movl %eax, %esi\n"
    "   movl $" STR(YIELD_CALLS) ", %ebx\n"
    "1: movl %esi, %eax\n"
    "   movl $" STR(METHOD_YIELD) ", %edx\n"
    "   movl %ebx, %ecx\n"
    "   int $0x80\n"
    "   movl %esi, %edi\n"
    "   shll $16, %edi\n"
    "   orl %ebx, %edi\n"
    "   cmpl %eax, %edi\n"
    "   je 2f\n"
    "   incl " STR(UDATA + D_WRONG) "\n"
    "2: decl %ebx\n"
    "   jnz 1b\n"
    ASM_EXIT
    "prog_yield_end:\n"
    /* wait at ring 3 for the word at D_STOP, then one call */
    "prog_wait_call:\n"
    "1: cmpl $0, " STR(UDATA + D_STOP) "\n"
    "   je 1b\n"
    "   movl $" STR(ECHO_HANDLE) ", %eax\n"
    "   movl $" STR(METHOD_ECHO) ", %edx\n"
    "   movl $" STR(UDATA) ", %ecx\n"
    "   int $0x80\n"
    "   movl %eax, " STR(UDATA + D_RESULT) "\n"
    ASM_EXIT
    "prog_wait_call_end:\n"
    /* bench_kcall_null: NULL_CALLS null calls between two rdtsc */
    "prog_null:\n"
    "   movl $" STR(NULL_CALLS) ", %ebx\n"
    "   rdtsc\n"
    "   movl %eax, " STR(UDATA + D_TSC) "\n"
    "1: xorl %eax, %eax\n"
    "   xorl %edx, %edx\n"
    "   xorl %ecx, %ecx\n"
    "   int $0x80\n"
    "   decl %ebx\n"
    "   jnz 1b\n"
    "   rdtsc\n"
    "   movl %eax, " STR(UDATA + D_TSC + 4) "\n"
    ASM_EXIT
    "prog_null_end:\n"
    ".previous\n");
// clang-format on

extern const char prog_kcall[], prog_kcall_end[], prog_peek[], prog_peek_end[], prog_priv[],
    prog_priv_end[], prog_spin[], prog_spin_end[], prog_null[], prog_null_end[], prog_yield[],
    prog_yield_end[], prog_wait_call[], prog_wait_call_end[];

#define RWX (AS_PROT_READ | AS_PROT_WRITE | AS_PROT_EXECUTE)

static struct heap heap;
static struct as space;

/* A user space with the program at UCODE, a zeroed data page and a
 * stack, made current. */
static bool make_space(const char *prog, const char *end)
{
    heap_init(&heap, "usermode test");
    as_init(&space, "usermode", USER_BASE, USER_END, &heap);
    vaddr_t va = UCODE;
    if (as_allocate(&space, &va, USER_PAGES * PAGE_SIZE, RWX) != S_OK)
        return false;
    vm_activate(&space);
    memset(user_ptr(UCODE), 0, USER_PAGES * PAGE_SIZE);
    memcpy(user_ptr(UCODE), prog, (size_t)(end - prog));
    return true;
}

static void destroy_space(void)
{
    vm_activate(0);
    as_destroy(&space);
}

static uint32_t user_word(uint32_t offset)
{
    return *(volatile uint32_t *)user_ptr(UDATA + offset);
}

static struct thread *start(const char *name, uintptr_t arg)
{
    return thread_create_user(name, PRIO_NORMAL, &space, 0, 0, UCODE, USTACK_TOP, arg);
}

/* What the kernel-call hook saw. */
static struct {
    int calls;
    uint32_t handle, method;
    uintptr_t block;
    uint32_t cpl;
    bool on_kernel_stack, irq_on;
    int bad_stack; /* calls (exits included) not at ring 1 on the caller's kernel stack */
} seen;

static bool on_own_kernel_stack(void)
{
    volatile uint32_t here;
    struct thread *self = thread_current();
    uintptr_t a = (uintptr_t)&here;
    return x86_cpl() == 1 && a >= self->stack_lo && a < self->stack_hi;
}

static SCODE hook(uint32_t handle, uint32_t method, uintptr_t block)
{
    if (!on_own_kernel_stack())
        seen.bad_stack++;
    if (method == METHOD_EXIT)
        thread_exit();
    if (method == METHOD_YIELD) {
        thread_yield(); /* the other caller runs, and calls, meanwhile */
        if (!on_own_kernel_stack())
            seen.bad_stack++;
        return (SCODE)(handle << 16 | (uint32_t)block);
    }
    seen.calls++;
    seen.handle = handle;
    seen.method = method;
    seen.block = block;
    seen.cpl = x86_cpl();
    seen.on_kernel_stack = on_own_kernel_stack();
    seen.irq_on = arch_irq_enabled();
    return ECHO_RESULT;
}

static void reset_seen(void)
{
    memset(&seen, 0, sizeof seen);
    kcall_test_hook = hook;
}

/* (a), (b): the call's registers reach kcall_enter, which runs at ring 1
 * on the caller's kernel stack with interrupts on; the result comes back
 * in eax and every other register is kept. */
KTEST(usermode_kcall_reaches_kernel)
{
    reset_seen();
    KT_ASSERT(make_space(prog_kcall, prog_kcall_end));
    struct thread *t = start("kcall", 0);
    KT_ASSERT(t);
    thread_join(t);
    kcall_test_hook = 0;
    uint32_t cs = user_word(D_CS), eflags = user_word(D_EFLAGS), result = user_word(D_RESULT);
    uint32_t code_pde = x86_vtlb_pde(&space, UCODE), code_pte = x86_vtlb_pte(&space, UCODE);
    uint32_t regs[7];
    for (int i = 0; i < 7; i++)
        regs[i] = user_word(D_REGS + 4 * (uint32_t)i);
    destroy_space();
    KT_ASSERT_EQ(cs, SEL_UCODE); /* ring 3 */
    KT_ASSERT(code_pde & code_pte & PTE_U);
    KT_ASSERT_EQ(eflags & (EFLAGS_IF | 0x3000), EFLAGS_IF | EFLAGS_IOPL1);
    KT_ASSERT_EQ(seen.calls, 1);
    KT_ASSERT_EQ(seen.handle, ECHO_HANDLE);
    KT_ASSERT_EQ(seen.method, METHOD_ECHO);
    KT_ASSERT_EQ(seen.block, UDATA);
    KT_ASSERT_EQ(seen.cpl, 1);
    KT_ASSERT(seen.on_kernel_stack);
    KT_ASSERT(seen.irq_on);
    KT_ASSERT_EQ(seen.bad_stack, 0);
    KT_ASSERT_EQ(result, ECHO_RESULT);
    KT_ASSERT_EQ(regs[0], UDATA);
    KT_ASSERT_EQ(regs[1], METHOD_ECHO);
    KT_ASSERT_EQ(regs[2], 0xb0b0b0b0u);
    KT_ASSERT_EQ(regs[3], 0x51515151u);
    KT_ASSERT_EQ(regs[4], 0xd1d1d1d1u);
    KT_ASSERT_EQ(regs[5], 0xbebebebeu);
    KT_ASSERT_EQ(regs[6], USTACK_TOP);
}

/* What the user page-fault handler saw, and what it does next. */
static struct {
    int faults;
    bool from_user, on_interrupt_stack;
    uintptr_t addr;
    enum trap_access access;
    struct trap_frame saved; /* (f): the user frame to go back to */
    bool back_cpl1, back_irq_on;
} pf;
static bool pf_resume; /* (f) rather than (c) */

static void end_thread(void *arg)
{
    (void)arg;
    thread_exit();
}

/* (f): thread code at ring 1 that goes back to user mode, where the
 * load that faulted seems to have read 0x600d. */
static void back_to_user(void *frame)
{
    pf.back_cpl1 = x86_cpl() == 1 && on_own_kernel_stack();
    pf.back_irq_on = arch_irq_enabled();
    arch_return_to_user(frame);
}

static bool user_page_fault(struct trap_frame *tf, const struct trap_info *info)
{
    pf.faults++;
    pf.from_user = arch_frame_from_user(tf);
    pf.on_interrupt_stack = (char *)(tf + 1) == interrupt_stack_top;
    pf.addr = info->addr;
    pf.access = info->access;
    if (!pf.from_user)
        return false;
    uintptr_t top = thread_current()->stack_hi;
    if (!pf_resume) {
        arch_frame_call_kernel(tf, end_thread, 0, top);
        return true;
    }
    pf.saved = *tf;
    pf.saved.eip += 2; /* movl (%eax), %eax */
    pf.saved.eax = 0x600d;
    arch_frame_call_kernel(tf, back_to_user, &pf.saved, top);
    return true;
}

/* Run prog_peek on linear address lin; the fault handler either ends the
 * thread (resume false) or sends it back past the load. */
static bool peek(uint32_t lin, bool resume)
{
    memset(&pf, 0, sizeof pf);
    pf_resume = resume;
    trap_handler old = trap_set_handler(TRAP_PAGE_FAULT, user_page_fault);
    struct thread *t = start("peek", lin);
    if (t)
        thread_join(t);
    trap_set_handler(TRAP_PAGE_FAULT, old);
    return t && pf.faults == 1 && pf.from_user && pf.on_interrupt_stack && pf.addr == lin &&
           pf.access == ACCESS_READ;
}

/* (c): a page of kernel_as that is present in the page tables, the
 * kernel image through the direct map, and the direct map's last page
 * are all supervisor pages: ring 3 faults on each. */
KTEST(usermode_cannot_touch_kernel)
{
    reset_seen();
    vaddr_t k = 0;
    KT_ASSERT_EQ(as_allocate(&kernel_as, &k, PAGE_SIZE, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE),
                 S_OK);
    *(volatile uint32_t *)k = 0x5ec12e7; /* entered in the page tables */
    KT_ASSERT(make_space(prog_peek, prog_peek_end));
    static const uint32_t secret = 0x5ec12e7;
    /* supervisor pages, entered and present: only the U/S bit refuses them */
    uint32_t k_pde = x86_vtlb_pde(&kernel_as, k), k_pte = x86_vtlb_pte(&kernel_as, k);
    uint32_t image_pde = boot_dir()[PD_INDEX(virt_to_linear(&secret))];
    bool kernel_page = peek(virt_to_linear((void *)k), false);
    bool image = peek(virt_to_linear(&secret), false);
    bool last = peek(0xfffff000u, false);
    uint32_t leaked = user_word(D_RESUMED);
    kcall_test_hook = 0;
    destroy_space();
    KT_ASSERT_EQ(as_deallocate(&kernel_as, k, PAGE_SIZE), S_OK);
    KT_ASSERT((k_pde & PTE_P) && !(k_pde & PTE_U));
    KT_ASSERT((k_pte & PTE_P) && !(k_pte & PTE_U));
    KT_ASSERT((image_pde & PTE_P) && !(image_pde & PTE_U));
    KT_ASSERT(kernel_page);
    KT_ASSERT(image);
    KT_ASSERT(last);
    KT_ASSERT_EQ(leaked, 0);
    KT_ASSERT_EQ(seen.bad_stack, 0);
}

/* (f): the fault becomes thread code at ring 1 (arch_frame_call_kernel),
 * which resumes the user frame it was given (arch_return_to_user). */
KTEST(usermode_return_to_user)
{
    reset_seen();
    KT_ASSERT(make_space(prog_peek, prog_peek_end));
    bool faulted = peek(virt_to_linear(&seen), true);
    uint32_t resumed = user_word(D_RESUMED);
    kcall_test_hook = 0;
    destroy_space();
    KT_ASSERT(faulted);
    KT_ASSERT(pf.back_cpl1);
    KT_ASSERT(pf.back_irq_on);
    KT_ASSERT_EQ(resumed, 0x600d);
    KT_ASSERT_EQ(seen.bad_stack, 0);
}

/* (d): what ring 3 may not do, each a user exception that skips it. */
static struct {
    int protection, illegal, breakpoint, not_user;
    uint32_t errors[8]; /* the protection faults' error codes */
} priv;

/* The length of the instruction at user eip (one of prog_priv's). */
static uint32_t insn_length(uint32_t eip)
{
    uint8_t op = *(volatile uint8_t *)user_ptr(eip);
    return op == 0xfa || op == 0xf4 ? 1 : op == 0x0f ? 3 : 2; /* 0f: mov %cr3, %eax */
}

static bool user_protection(struct trap_frame *tf, const struct trap_info *info)
{
    (void)info;
    if (!arch_frame_from_user(tf))
        return ++priv.not_user, false;
    if (*(volatile uint16_t *)user_ptr(tf->eip) == 0x80cd) /* the kernel call must not fault */
        return false;
    if (priv.protection < 8)
        priv.errors[priv.protection] = tf->error;
    priv.protection++;
    tf->eip += insn_length(tf->eip);
    return true;
}

static bool user_illegal(struct trap_frame *tf, const struct trap_info *info)
{
    (void)info;
    if (!arch_frame_from_user(tf))
        return ++priv.not_user, false;
    priv.illegal++;
    tf->eip += 2; /* ud2 */
    return true;
}

static bool user_breakpoint(struct trap_frame *tf, const struct trap_info *info)
{
    (void)info;
    if (!arch_frame_from_user(tf))
        return ++priv.not_user, false;
    priv.breakpoint++; /* eip is past int3 already */
    return true;
}

KTEST(usermode_privileged_instructions_fault)
{
    reset_seen();
    memset(&priv, 0, sizeof priv);
    KT_ASSERT(make_space(prog_priv, prog_priv_end));
    trap_handler old_gp = trap_set_handler(TRAP_PROTECTION, user_protection);
    trap_handler old_ud = trap_set_handler(TRAP_ILLEGAL, user_illegal);
    trap_handler old_bp = trap_set_handler(TRAP_BREAKPOINT, user_breakpoint);
    struct thread *t = start("priv", 0);
    if (t)
        thread_join(t);
    trap_set_handler(TRAP_PROTECTION, old_gp);
    trap_set_handler(TRAP_ILLEGAL, old_ud);
    trap_set_handler(TRAP_BREAKPOINT, old_bp);
    uint32_t eflags = user_word(D_EFLAGS);
    kcall_test_hook = 0;
    destroy_space();
    KT_ASSERT(t);
    KT_ASSERT_EQ(priv.not_user, 0);
    KT_ASSERT_EQ(priv.protection, 8);       /* cli, in, hlt, mov from cr3, int 0x81..0x84 */
    for (uint32_t v = 0x81; v <= 0x84; v++) /* an IDT vector's error code */
        KT_ASSERT_EQ(priv.errors[4 + v - 0x81], v << 3 | 2);
    KT_ASSERT_EQ(priv.illegal, 1);
    KT_ASSERT_EQ(priv.breakpoint, 1);
    KT_ASSERT_EQ(eflags & (EFLAGS_IF | 0x3000), EFLAGS_IF | EFLAGS_IOPL1); /* cli did nothing */
    KT_ASSERT_EQ(seen.bad_stack, 0);
}

/* (e): two ring-3 busy loops and this kernel thread share the processor
 * by the timer: each loop is preempted and resumed where it was. */
KTEST(usermode_preempted_and_resumed)
{
    reset_seen();
    KT_ASSERT(make_space(prog_spin, prog_spin_end));
    struct sched_stats before, after;
    sched_get_stats(&before);
    struct thread *a = start("spin a", UDATA + D_COUNT_A);
    struct thread *b = start("spin b", UDATA + D_COUNT_B);
    uint32_t a1 = 0, b1 = 0, a2 = 0, b2 = 0;
    if (a && b) {
        thread_sleep_ticks(4);
        a1 = user_word(D_COUNT_A), b1 = user_word(D_COUNT_B);
        thread_sleep_ticks(4);
        a2 = user_word(D_COUNT_A), b2 = user_word(D_COUNT_B);
    }
    *(volatile uint32_t *)user_ptr(UDATA + D_STOP) = 1;
    if (a)
        thread_join(a);
    if (b)
        thread_join(b);
    sched_get_stats(&after);
    kcall_test_hook = 0;
    destroy_space();
    KT_ASSERT(a && b);
    KT_ASSERT(a1 > 0 && b1 > 0);
    KT_ASSERT(a2 > a1 && b2 > b1);
    KT_ASSERT(after.preemptions >= before.preemptions + 4);
    KT_ASSERT_EQ(seen.bad_stack, 0);
}

/* Two user threads whose calls switch to each other inside the kernel:
 * each call lands on its own thread's kernel stack (TSS esp1 follows the
 * switches) and returns its own result. */
KTEST(usermode_kcalls_switch_threads)
{
    reset_seen();
    KT_ASSERT(make_space(prog_yield, prog_yield_end));
    struct sched_stats before, after;
    sched_get_stats(&before);
    struct thread *a = start("calls 0", 0), *b = start("calls 1", 1);
    if (a)
        thread_join(a);
    if (b)
        thread_join(b);
    sched_get_stats(&after);
    uint32_t wrong = user_word(D_WRONG);
    kcall_test_hook = 0;
    destroy_space();
    KT_ASSERT(a && b);
    KT_ASSERT_EQ(wrong, 0);
    KT_ASSERT_EQ(seen.bad_stack, 0);
    KT_ASSERT(after.switches >= before.switches + 2 * YIELD_CALLS);
}

/* A user thread whose kernel stack has no translation (kernel_as's page
 * tables flushed while it waited at ring 3): the CPU's push of the call's
 * frame faults, the fault is resolved on the interrupt stack, and the
 * `int` restarts. */
KTEST(usermode_kcall_on_unmapped_kernel_stack)
{
    reset_seen();
    KT_ASSERT(make_space(prog_wait_call, prog_wait_call_end));
    struct thread *t = start("wait call", 0);
    KT_ASSERT(t);
    thread_sleep_ticks(2); /* t is spinning at ring 3 */
    struct vtlb_stats st0, st1;
    vtlb_get_stats(&st0);
    vtlb_flush(&kernel_as);
    uint32_t pte = x86_vtlb_pte(&kernel_as, t->stack_hi - 4);
    *(volatile uint32_t *)user_ptr(UDATA + D_STOP) = 1;
    thread_join(t);
    vtlb_get_stats(&st1);
    uint32_t result = user_word(D_RESULT);
    kcall_test_hook = 0;
    destroy_space();
    KT_ASSERT_EQ(pte, 0);
    KT_ASSERT(st1.kernel_misses > st0.kernel_misses);
    KT_ASSERT_EQ(seen.calls, 1);
    KT_ASSERT_EQ(result, ECHO_RESULT);
    KT_ASSERT_EQ(seen.bad_stack, 0);
}

/* The least a kernel call can do. */
static SCODE null_hook(uint32_t handle, uint32_t method, uintptr_t block)
{
    (void)handle, (void)block;
    if (method == METHOD_EXIT)
        thread_exit();
    return S_OK;
}

/* A null kernel call's round trip from ring 3: int, the stub, kcall_enter
 * and a hook that returns at once, iret; plus the loop's five
 * instructions (under icount, TSC ticks are instructions). */
KBENCH(bench_kcall_null)
{
    KT_ASSERT(make_space(prog_null, prog_null_end));
    kcall_test_hook = null_hook;
    struct thread *t = start("null calls", 0);
    if (t)
        thread_join(t);
    kcall_test_hook = 0;
    uint32_t cycles = user_word(D_TSC + 4) - user_word(D_TSC);
    destroy_space();
    KT_ASSERT(t);
    kprintf("bench: kcall_null arch=%s instructions_per_call=%u (loop included)\n", ARCH_NAME,
            cycles / NULL_CALLS);
}
