/* MIPS user mode against the arch contract (<kernel/arch.h>, user mode):
 * the kernel call from user mode (registers, result, on the caller's
 * kernel stack in kernel mode with interrupts on, under the pair's kernel
 * ASID), the kernel's biased view of the caller's space (user u at
 * u + USER_KERNEL_BIAS, both halves of the map), the overlap region
 * (kernel_as and the user's own pages at the same virtual addresses), user
 * exceptions reaching trap handlers with the user's frame (ending the
 * thread, or handled by thread code that returns to user mode), timer
 * preemption of user code, and two spaces' ASID pairs kept apart.
 *
 * User code is hand-assembled instruction words, copied into a committed
 * user page at CODE. Each program ends with a kernel call of M_EXIT, whose
 * hook ends the thread (thread code on its kernel stack may do that). */
#include <arch/mips.h>
#include <kernel/arch.h>
#include <kernel/ipc/kcall.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/trap.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/trap.h>
#include <kernel/vm/vm.h>

#define PG    PAGE_SIZE
#define CODE  0x00400000u
#define DATA  0x00410000u /* in the user's [0, 1 GiB): the kernel sees it in kseg2 */
#define STACK 0x00420000u

/* o32 register numbers */
enum { ZERO = 0, V0 = 2, A0 = 4, A1 = 5, A2 = 6, T0 = 8, T1, T2, T3, S0 = 16 };

/* MIPS32 encodings (branch offsets in instructions from the delay slot) */
#define I_(op, rs, rt, imm) ((uint32_t)(op) << 26 | (rs) << 21 | (rt) << 16 | ((imm)&0xffff))
#define LUI(rt, imm)        I_(0x0f, 0, rt, imm)
#define ORI(rt, rs, imm)    I_(0x0d, rs, rt, imm)
#define ADDIU(rt, rs, imm)  I_(0x09, rs, rt, imm)
#define LW(rt, off, base)   I_(0x23, base, rt, off)
#define SW(rt, off, base)   I_(0x2b, base, rt, off)
#define BEQ(rs, rt, off)    I_(0x04, rs, rt, off)
#define BNE(rs, rt, off)    I_(0x05, rs, rt, off)
#define ANDI(rt, rs, imm)   I_(0x0c, rs, rt, imm)
#define MOVE(rd, rs)        ((uint32_t)(rs) << 21 | (rd) << 11 | 0x25) /* or rd, rs, zero */
#define SYSCALL             0x0000000cu
#define BREAK               0x0000000du
#define NOP                 0u

/* The methods the test hook knows (a1). */
enum { M_NOP = 1, M_EXIT = 2, M_CHECK = 3, M_RECORD = 7 };

#define HANDLE     0x12345678u
#define RESULT     0x1234
#define K_WORD     0x4b4b0000u /* kernel_as's page at the overlap address */
#define U_WORD     0x55550000u /* the user's own page at the same address */
#define LOW_WORD   0x0000d0d0u /* DATA[0] as the user left it */
#define LOW_POKE   0x0600d001u /* the kernel's write to DATA[8] through the bias */
#define HIGH_POKE  0x0600d002u /* ... and to the high page's word 0 */
#define STACK_TWIN 0x57a40000u /* the user's page at its kernel stack's top page */

static struct heap heap;
static struct as spaces[2];
static vaddr_t high; /* the overlap address: a kernel_as page, and a user page of the caller */

/* What the hook saw. */
static struct {
    uint32_t handle, method;
    uintptr_t block;
    bool on_kernel_stack, irq_on, kernel_mode, kernel_asid;
    uint32_t low_read, high_read, kernel_read;
    unsigned checks, bad_checks;
} seen;

static uint32_t expected[2]; /* M_CHECK: the word each space's caller put in DATA[8] */

static uintptr_t current_sp(void)
{
    uintptr_t sp;
    __asm__ volatile("move %0, $sp" : "=r"(sp));
    return sp;
}

static void record_context(void)
{
    struct thread *t = thread_current();
    uintptr_t sp = current_sp();
    uint32_t status = read_c0_status();
    seen.on_kernel_stack = sp >= t->stack_lo && sp < t->stack_hi;
    seen.irq_on = arch_irq_enabled();
    seen.kernel_mode = !(status & (ST_KSU_USER | ST_EXL | ST_ERL));
    seen.kernel_asid = (read_c0_entryhi() & 0xff) == (t->user_as->vtlb.asid | ASID_KERNEL_BIT);
}

/* The biased view, both halves: DATA is user [0, 1 GiB) (kernel kseg2),
 * high is user [1 GiB, 2 GiB) (kernel [0, 1 GiB)); and kernel_as's own
 * page at high itself. */
static void use_biased_view(uintptr_t block)
{
    volatile uint32_t *low = user_ptr(block);
    volatile uint32_t *hi = user_ptr(high);
    seen.low_read = low[0];
    low[2] = LOW_POKE;
    seen.high_read = hi[0];
    hi[0] = HIGH_POKE;
    seen.kernel_read = *(volatile uint32_t *)high;
}

static void check_own_space(uintptr_t block)
{
    struct thread *t = thread_current();
    int s = t->user_as == &spaces[1];
    uint32_t want_asid = t->user_as->vtlb.asid | ASID_KERNEL_BIT;
    seen.checks++;
    if (((volatile uint32_t *)user_ptr(block))[2] != expected[s] ||
        (read_c0_entryhi() & 0xff) != want_asid)
        seen.bad_checks++;
}

static SCODE hook(uint32_t handle, uint32_t method, uintptr_t block)
{
    switch (method) {
    case M_EXIT:
        thread_exit();
    case M_CHECK:
        check_own_space(block);
        return 0;
    case M_RECORD:
        seen.handle = handle;
        seen.method = method;
        seen.block = block;
        record_context();
        use_biased_view(block);
        return RESULT;
    default:
        return 0;
    }
}

/* A fresh space with the program at CODE, DATA (its first words zero)
 * and STACK committed, and high if nonzero. */
static bool make_space(struct as *as, const uint32_t *code, size_t n, vaddr_t hi)
{
    as_init(as, "user", USER_BASE, USER_END, &heap);
    vaddr_t c = CODE, d = DATA, s = STACK;
    uint32_t rw = AS_PROT_READ | AS_PROT_WRITE;
    if (as_allocate(as, &c, PG, rw | AS_PROT_EXECUTE) != S_OK ||
        as_allocate(as, &d, PG, rw) != S_OK || as_allocate(as, &s, PG, rw) != S_OK ||
        (hi && as_allocate(as, &hi, PG, rw) != S_OK))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!vm_poke32(as, CODE + 4 * i, code[i]))
            return false;
    }
    for (vaddr_t w = DATA; w < DATA + 32; w += 4) { /* committed pages are not zeroed */
        if (!vm_poke32(as, w, 0))
            return false;
    }
    return true;
}

static void drop_space(struct as *as)
{
    vm_activate(0); /* the scheduler must not think it still current */
    as_destroy(as);
}

static struct thread *start_user(struct as *as, int prio, uintptr_t arg)
{
    return thread_create_user("user", prio, as, 0, 0, CODE, STACK + PG - 16, arg);
}

static uint32_t peek(struct as *as, vaddr_t va)
{
    uint32_t v = 0xdeadbeef;
    vm_peek32(as, va, &v);
    return v;
}

/* (a)-(d): a kernel call, its result, and the two views of memory. */
static const uint32_t call_program[] = {
    MOVE(S0, A0),              /* s0 = high */
    LUI(T0, DATA >> 16),       /* t0 = DATA */
    LUI(A0, HANDLE >> 16),     /* a0: handle */
    ORI(A0, A0, HANDLE),       /* */
    ADDIU(A1, ZERO, M_RECORD), /* a1: method */
    MOVE(A2, T0),              /* a2: block = DATA */
    LW(T3, 0, S0),             /* the overlap address in user mode: own page */
    SW(T3, 20, T0),            /* DATA[20] */
    LW(T1, 24, T0),            /* the top word of the thread's kernel stack, */
    LW(T1, 0, T1),             /* which the user maps too: in the TLB now, */
    SW(T1, 28, T0),            /* DATA[28], under the user ASID */
    SYSCALL,                   /* */
    SW(V0, 4, T0),             /* DATA[4] = the result */
    LW(T1, 8, T0),             /* the kernel's write to the low page */
    SW(T1, 12, T0),            /* DATA[12] */
    LW(T2, 0, S0),             /* ... to the high page */
    SW(T2, 16, T0),            /* DATA[16] */
    ADDIU(A1, ZERO, M_EXIT),   /* */
    SYSCALL,
};

KTEST(usermode_mips_kernel_call_and_biased_view)
{
    struct as *as = &spaces[0];
    heap_init(&heap, "usermode test");
    high = 0;
    KT_ASSERT_EQ(as_allocate(&kernel_as, &high, PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE),
                 S_OK);
    KT_ASSERT(high >= OVERLAP_BASE && high < OVERLAP_END);
    *(volatile uint32_t *)high = K_WORD;
    KT_ASSERT(make_space(as, call_program, sizeof call_program / 4, high));
    KT_ASSERT(vm_poke32(as, high, U_WORD) && vm_poke32(as, DATA, LOW_WORD));
    /* The kernel's biased view has the user's CODE + 1 GiB at CODE: a
     * page of breaks, written through it, so the software TLB holds it
     * under the kernel ASID. User code that ran under the kernel ASID
     * after its kernel call would execute them (and panic: no handler). */
    vaddr_t code_twin = CODE + 0x40000000u;
    KT_ASSERT_EQ(as_allocate(as, &code_twin, PG, AS_PROT_READ | AS_PROT_WRITE | AS_PROT_EXECUTE),
                 S_OK);
    for (vaddr_t w = code_twin; w < code_twin + 4 * sizeof call_program; w += 4)
        KT_ASSERT(vm_poke32(as, w, BREAK));
    memset(&seen, 0, sizeof seen);
    kcall_test_hook = hook;
    struct thread *t = start_user(as, thread_current()->prio - 1, high);
    KT_ASSERT(t);
    /* the user maps a page of its own where its kernel stack's top page is
     * (it has not run yet: lower priority); the kernel call must not use it */
    vaddr_t twin = (t->stack_hi - 1) & ~(vaddr_t)(PG - 1);
    KT_ASSERT_EQ(as_allocate(as, &twin, PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    for (vaddr_t w = twin; w < twin + PG; w += 4)
        KT_ASSERT(vm_poke32(as, w, STACK_TWIN + (w & (PG - 1))));
    KT_ASSERT(vm_poke32(as, DATA + 24, t->stack_hi - 4));
    thread_join(t);
    kcall_test_hook = 0;
    uint32_t twin_intact = 0;
    for (vaddr_t w = twin; w < twin + PG; w += 4)
        twin_intact += peek(as, w) == STACK_TWIN + (w & (PG - 1));
    uint32_t result = peek(as, DATA + 4), low_after = peek(as, DATA + 12);
    uint32_t high_after = peek(as, DATA + 16), overlap_user = peek(as, DATA + 20);
    uint32_t twin_read = peek(as, DATA + 28);
    uint32_t kernel_after = *(volatile uint32_t *)high;
    drop_space(as);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, high, PG), S_OK);
    /* (a) the call's registers and result */
    KT_ASSERT_EQ(seen.handle, HANDLE);
    KT_ASSERT_EQ(seen.method, M_RECORD);
    KT_ASSERT_EQ(seen.block, DATA);
    KT_ASSERT_EQ(result, RESULT);
    /* (b) thread code: kernel stack, kernel mode, interrupts on, kernel ASID */
    KT_ASSERT(seen.on_kernel_stack);
    KT_ASSERT(seen.irq_on);
    KT_ASSERT(seen.kernel_mode);
    KT_ASSERT(seen.kernel_asid);
    /* (c) the biased view of user [0, 1G) and [1G, 2G), both ways */
    KT_ASSERT_EQ(seen.low_read, LOW_WORD);
    KT_ASSERT_EQ(seen.high_read, U_WORD);
    KT_ASSERT_EQ(low_after, LOW_POKE);
    KT_ASSERT_EQ(high_after, HIGH_POKE);
    /* (d) the overlap region: the same address, different memory */
    KT_ASSERT_EQ(seen.kernel_read, K_WORD);
    KT_ASSERT_EQ(overlap_user, U_WORD);
    KT_ASSERT_EQ(kernel_after, K_WORD);
    /* ... even where the user mapped its own kernel stack's address */
    KT_ASSERT_EQ(twin_read, STACK_TWIN + PG - 4);
    KT_ASSERT_EQ(twin_intact, PG / 4);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* (e): user mode touching what is not its own. DATA[0] holds the target;
 * a kernel call first, so the kernel stack is in the TLB (under the
 * kernel ASID, never the user's). */
static const uint32_t fault_program[] = {
    LUI(T0, DATA >> 16),     /* */
    LW(A0, 0, T0),           /* a0 = the target */
    ADDIU(A1, ZERO, M_NOP),  /* */
    SYSCALL,                 /* */
    LW(T1, 0, A0),           /* must raise the user's exception */
    SW(T1, 4, T0),           /* DATA[4]: only if it did not */
    ADDIU(T2, ZERO, 1),      /* */
    SW(T2, 8, T0),           /* DATA[8] = 1: it did not */
    ADDIU(A1, ZERO, M_EXIT), /* */
    SYSCALL,
};

static struct {
    unsigned count;
    bool from_user;
    enum trap_kind kind;
    uintptr_t addr, pc;
} caught;

static void exit_thread(void *arg)
{
    (void)arg;
    thread_exit();
}

static bool end_user_thread(struct trap_frame *tf, const struct trap_info *info)
{
    caught.count++;
    caught.from_user = arch_frame_from_user(tf);
    caught.kind = info->kind;
    caught.addr = info->addr;
    caught.pc = arch_frame_pc(tf);
    if (!caught.from_user)
        return false;
    arch_frame_call_kernel(tf, exit_thread, 0, thread_current()->stack_hi);
    return true;
}

/* Run fault_program against target; the exception it raised. */
static bool run_fault(uintptr_t target, bool stack_top, uint32_t *leaked)
{
    struct as *as = &spaces[0];
    if (!make_space(as, fault_program, sizeof fault_program / 4, 0))
        return false;
    memset(&caught, 0, sizeof caught);
    kcall_test_hook = hook;
    trap_handler old_pf = trap_set_handler(TRAP_PAGE_FAULT, end_user_thread);
    trap_handler old_ad = trap_set_handler(TRAP_ALIGNMENT, end_user_thread);
    struct thread *t = start_user(as, thread_current()->prio - 1, 0);
    bool ok = t != 0;
    if (ok) {
        /* the thread has not run yet (lower priority): its kernel stack is known */
        ok = vm_poke32(as, DATA, stack_top ? t->stack_hi - 4 : target);
        thread_join(t);
    }
    trap_set_handler(TRAP_PAGE_FAULT, old_pf);
    trap_set_handler(TRAP_ALIGNMENT, old_ad);
    kcall_test_hook = 0;
    *leaked = peek(as, DATA + 8);
    drop_space(as);
    return ok;
}

KTEST(usermode_mips_user_cannot_touch_kernel_memory)
{
    uint32_t leaked;
    heap_init(&heap, "usermode test");
    vaddr_t k = 0;
    KT_ASSERT_EQ(as_allocate(&kernel_as, &k, PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    *(volatile uint32_t *)k = K_WORD; /* kernel_as, in the TLB under the kernel ASID */
    /* kseg0: an address error */
    KT_ASSERT(run_fault(UNMAPPED_BASE + 0x1000, false, &leaked));
    KT_ASSERT_EQ(caught.count, 1);
    KT_ASSERT(caught.from_user);
    KT_ASSERT_EQ(caught.kind, TRAP_ALIGNMENT);
    KT_ASSERT_EQ(caught.addr, UNMAPPED_BASE + 0x1000);
    KT_ASSERT_EQ(caught.pc, CODE + 16);
    KT_ASSERT_EQ(leaked, 0);
    /* kernel_as's page, through the same (user) address */
    KT_ASSERT(run_fault(k, false, &leaked));
    KT_ASSERT_EQ(caught.count, 1);
    KT_ASSERT(caught.from_user);
    KT_ASSERT_EQ(caught.kind, TRAP_PAGE_FAULT);
    KT_ASSERT_EQ(caught.addr, k);
    KT_ASSERT_EQ(leaked, 0);
    /* the thread's own kernel stack, just used by its kernel call */
    KT_ASSERT(run_fault(0, true, &leaked));
    KT_ASSERT_EQ(caught.count, 1);
    KT_ASSERT(caught.from_user);
    KT_ASSERT_EQ(caught.kind, TRAP_PAGE_FAULT);
    KT_ASSERT_EQ(leaked, 0);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, k, PG), S_OK);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* A user exception that kernel thread code handles and returns from: the
 * break's handler keeps the user frame and sends the trap to resume_user
 * on the kernel stack (arch_frame_call_kernel), which changes v0, steps
 * over the break and resumes user mode (arch_return_to_user) from a copy
 * on its (mapped) stack. The user stores v0 in DATA[4]. */
static const uint32_t break_program[] = {
    LUI(T0, DATA >> 16),     /* */
    ADDIU(V0, ZERO, 1),      /* */
    BREAK,                   /* */
    SW(V0, 4, T0),           /* DATA[4] = v0 */
    ADDIU(A1, ZERO, M_EXIT), /* */
    SYSCALL,
};

#define V0_FROM_KERNEL 0x77

static struct trap_frame kept; /* the user frame of the break */
static struct {
    bool on_kernel_stack, irq_on, kernel_mode;
} resumed;

static void resume_user(void *arg)
{
    (void)arg;
    struct thread *t = thread_current();
    uintptr_t sp = current_sp();
    resumed.on_kernel_stack = sp >= t->stack_lo && sp < t->stack_hi;
    resumed.irq_on = arch_irq_enabled();
    resumed.kernel_mode = !(read_c0_status() & (ST_KSU_USER | ST_EXL | ST_ERL));
    struct trap_frame f = kept;
    arch_kcall_set_result(&f, V0_FROM_KERNEL);
    arch_frame_set_pc(&f, arch_frame_pc(&f) + 4);
    arch_return_to_user(&f);
}

static bool handle_break(struct trap_frame *tf, const struct trap_info *info)
{
    (void)info;
    if (!arch_frame_from_user(tf))
        return false;
    kept = *tf;
    arch_frame_call_kernel(tf, resume_user, 0, thread_current()->stack_hi);
    return true;
}

KTEST(usermode_mips_exception_handled_by_thread_code_returns_to_user)
{
    struct as *as = &spaces[0];
    heap_init(&heap, "usermode test");
    KT_ASSERT(make_space(as, break_program, sizeof break_program / 4, 0));
    memset(&resumed, 0, sizeof resumed);
    kcall_test_hook = hook;
    trap_handler old = trap_set_handler(TRAP_BREAKPOINT, handle_break);
    struct thread *t = start_user(as, thread_current()->prio - 1, 0);
    KT_ASSERT(t);
    thread_join(t);
    trap_set_handler(TRAP_BREAKPOINT, old);
    kcall_test_hook = 0;
    uint32_t v0 = peek(as, DATA + 4);
    drop_space(as);
    KT_ASSERT(resumed.on_kernel_stack);
    KT_ASSERT(resumed.irq_on);
    KT_ASSERT(resumed.kernel_mode);
    KT_ASSERT_EQ(v0, V0_FROM_KERNEL);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* (f): a user busy loop (counting in DATA[4] until DATA[0] is set) and
 * this kernel thread, at one priority, neither yielding: both progress
 * only if the timer preempts each. */
static const uint32_t spin_program[] = {
    LUI(T0, DATA >> 16),     /* */
    ADDIU(T1, ZERO, 0),      /* */
    ADDIU(T1, T1, 1),        /* loop: */
    SW(T1, 4, T0),           /* DATA[4] = ++count */
    LW(T2, 0, T0),           /* */
    BEQ(T2, ZERO, -4),       /* to loop, until DATA[0] */
    NOP,                     /* */
    ADDIU(A1, ZERO, M_EXIT), /* */
    SYSCALL,
};

KTEST(usermode_mips_timer_preempts_user_code)
{
    struct as *as = &spaces[0];
    heap_init(&heap, "usermode test");
    KT_ASSERT(make_space(as, spin_program, sizeof spin_program / 4, 0));
    kcall_test_hook = hook;
    struct sched_stats before, after;
    sched_get_stats(&before);
    struct thread *t = start_user(as, thread_current()->prio, 0);
    KT_ASSERT(t);
    uint32_t first = 0, count = 0;
    unsigned long mine = 0;
    while ((first = peek(as, DATA + 4)) == 0) /* busy: until the user ran */
        mine++;
    while ((count = peek(as, DATA + 4)) < first + 1000) /* ... and ran again */
        mine++;
    KT_ASSERT(vm_poke32(as, DATA, 1));
    thread_join(t);
    kcall_test_hook = 0;
    sched_get_stats(&after);
    drop_space(as);
    KT_ASSERT(mine > 0);
    KT_ASSERT(after.preemptions - before.preemptions >= 2);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* (g): two spaces, the same user addresses, each thread with its own word
 * at DATA[8]: every user read finds its own page, and every few thousand
 * rounds a kernel call finds the caller's own page through the bias under
 * its own pair's kernel ASID, while the timer switches between them.
 * DATA[12] records a wrong read. */
static const uint32_t two_program[] = {
    LUI(T0, DATA >> 16),      /* */
    SW(A0, 8, T0),            /* DATA[8] = arg */
    MOVE(S0, A0),             /* */
    MOVE(A2, T0),             /* a2: block = DATA */
    LUI(T3, 0x40),            /* 4M rounds */
    LW(T1, 8, T0),            /* loop: */
    BNE(T1, S0, 10),          /* to bad */
    ADDIU(T3, T3, -1),        /* */
    ANDI(T2, T3, 0xfff),      /* */
    BNE(T2, ZERO, 3),         /* to skip */
    ADDIU(A1, ZERO, M_CHECK), /* */
    SYSCALL,                  /* every 4096 rounds */
    NOP,                      /* */
    BNE(T3, ZERO, -9),        /* skip: to loop */
    NOP,                      /* */
    ADDIU(A1, ZERO, M_EXIT),  /* */
    SYSCALL,                  /* */
    SW(T1, 12, T0),           /* bad: */
    ADDIU(A1, ZERO, M_EXIT),  /* */
    SYSCALL,
};

KTEST(usermode_mips_two_spaces_keep_their_asid_pairs_apart)
{
    heap_init(&heap, "usermode test");
    struct thread *t[2];
    expected[0] = 0xaaaa0001;
    expected[1] = 0xbbbb0002;
    for (int s = 0; s < 2; s++)
        KT_ASSERT(make_space(&spaces[s], two_program, sizeof two_program / 4, 0));
    memset(&seen, 0, sizeof seen);
    kcall_test_hook = hook;
    struct sched_stats before, after;
    sched_get_stats(&before);
    for (int s = 0; s < 2; s++)
        t[s] = start_user(&spaces[s], thread_current()->prio - 1, expected[s]);
    KT_ASSERT(t[0] && t[1]);
    thread_join(t[0]);
    thread_join(t[1]);
    kcall_test_hook = 0;
    sched_get_stats(&after);
    uint32_t own[2], bad[2];
    for (int s = 0; s < 2; s++) {
        own[s] = peek(&spaces[s], DATA + 8);
        bad[s] = peek(&spaces[s], DATA + 12);
    }
    for (int s = 0; s < 2; s++)
        drop_space(&spaces[s]);
    KT_ASSERT_EQ(own[0], expected[0]);
    KT_ASSERT_EQ(own[1], expected[1]);
    KT_ASSERT_EQ(bad[0], 0);
    KT_ASSERT_EQ(bad[1], 0);
    KT_ASSERT_EQ(seen.checks, 2 * 1024);
    KT_ASSERT_EQ(seen.bad_checks, 0);
    KT_ASSERT(after.preemptions - before.preemptions >= 2);
    KT_ASSERT_EQ(heap.pages, 0);
}

/* The null kernel call's round trip, in guest instructions: a user loop
 * of n `syscall`s that kcall_enter answers at once (no hook: E_HANDLE),
 * against the same thread with n = 0; the loop's own three instructions
 * are in the figure. The thread ends with a break. */
static const uint32_t null_program[] = {
    MOVE(T3, A0),           /* n */
    ADDIU(A1, ZERO, M_NOP), /* */
    BEQ(T3, ZERO, 4),       /* to done */
    NOP,                    /* */
    SYSCALL,                /* loop: */
    ADDIU(T3, T3, -1),      /* */
    BNE(T3, ZERO, -3),      /* to loop */
    NOP,                    /* done: */
    BREAK,
};

static uint64_t run_null_calls(uint32_t n)
{
    struct as *as = &spaces[0];
    if (!make_space(as, null_program, sizeof null_program / 4, 0))
        return 0;
    trap_handler old = trap_set_handler(TRAP_BREAKPOINT, end_user_thread);
    uint64_t t0 = arch_cycles();
    struct thread *t = start_user(as, thread_current()->prio - 1, n);
    if (t)
        thread_join(t);
    uint64_t t1 = arch_cycles();
    trap_set_handler(TRAP_BREAKPOINT, old);
    drop_space(as);
    return t1 - t0;
}

KBENCH(bench_kcall_null)
{
    enum { CALLS = 20000 };
    heap_init(&heap, "usermode bench");
    uint64_t none = run_null_calls(0), many = run_null_calls(CALLS);
    KT_ASSERT(none && many);
    kprintf("bench: kcall_null arch=mips calls=%u instructions_per_call=%llu\n", CALLS,
            (unsigned long long)(many - none) / CALLS);
}
