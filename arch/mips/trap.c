/* mips_trap: the C side of every exception. Interrupts go to their
 * handlers (the CP0 timer on IP7, the 8259s' devices on IP2); exceptions are decoded into a
 * struct trap_info for kernel/trap.c. */
#include <arch/mips.h>
#include <kernel/arch.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/sched/sched.h>
#include <kernel/trap.h>
#include <kernel/vm/vm.h>
#include <stddef.h>

_Static_assert(offsetof(struct trap_frame, lo) == TF_LO, "TF_LO");
_Static_assert(offsetof(struct trap_frame, hi) == TF_HI, "TF_HI");
_Static_assert(offsetof(struct trap_frame, epc) == TF_EPC, "TF_EPC");
_Static_assert(offsetof(struct trap_frame, status) == TF_STATUS, "TF_STATUS");
_Static_assert(offsetof(struct trap_frame, cause) == TF_CAUSE, "TF_CAUSE");
_Static_assert(offsetof(struct trap_frame, badvaddr) == TF_BADVADDR, "TF_BADVADDR");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "TF_SIZE");
_Static_assert(TF_STACK % 8 == 0, "the o32 stack stays 8-byte aligned");
_Static_assert(EXC_SYSCALL == 8, "trap.S's kernel-call test");

enum {
    EXC_INT = 0,
    EXC_MOD = 1,
    EXC_TLBL = 2,
    EXC_TLBS = 3,
    EXC_ADEL = 4,
    EXC_ADES = 5,
    EXC_IBE = 6,
    EXC_DBE = 7,
    EXC_SYS = 8,
    EXC_BP = 9,
    EXC_RI = 10,
    EXC_CPU = 11,
    EXC_OV = 12,
    EXC_TR = 13,
};

#define TRAP_CODE_DIVZERO 7 /* the code clang puts in `teq divisor, zero` */

extern char exception_base[];
struct trap_frame *mips_trap(struct trap_frame *tf);

void arch_trap_init(void)
{
    mips_vtlb_init();
    mips_pic_init();
    write_c0_ebase((uint32_t)(uintptr_t)exception_base);
    write_c0_status(read_c0_status() & ~(ST_BEV | ST_ERL | ST_EXL));
}

static enum trap_kind decode_kind(unsigned exc, const struct trap_frame *tf)
{
    switch (exc) {
    case EXC_MOD:
        return TRAP_PROTECTION;
    case EXC_TLBL:
    case EXC_TLBS:
        return TRAP_PAGE_FAULT;
    case EXC_ADEL:
    case EXC_ADES:
        return TRAP_ALIGNMENT;
    case EXC_IBE:
    case EXC_DBE:
        return TRAP_BUS;
    case EXC_SYS:
        return TRAP_SYSCALL;
    case EXC_BP:
        return TRAP_BREAKPOINT;
    case EXC_RI:
    case EXC_CPU:
        return TRAP_ILLEGAL;
    case EXC_OV:
        return TRAP_OVERFLOW;
    case EXC_TR: {
        /* the user's code is mapped, and a TLB miss with EXL set would
         * lose EPC: its traps are not told apart */
        if (arch_frame_from_user(tf))
            return TRAP_OTHER;
        uint32_t insn = *(const uint32_t *)(uintptr_t)tf->epc;
        return ((insn >> 6) & 0x3ff) == TRAP_CODE_DIVZERO ? TRAP_DIVIDE : TRAP_OTHER;
    }
    default:
        return TRAP_OTHER;
    }
}

static struct trap_info decode_exception(const struct trap_frame *tf)
{
    unsigned exc = CAUSE_EXC(tf->cause);
    struct trap_info info = {.kind = decode_kind(exc, tf), .access = ACCESS_READ, .code = exc};
    if (exc == EXC_MOD || exc == EXC_TLBS || exc == EXC_ADES)
        info.access = ACCESS_WRITE;
    if (exc >= EXC_MOD && exc <= EXC_ADES) {
        info.addr = tf->badvaddr;
        if (tf->badvaddr == tf->epc && info.access == ACCESS_READ)
            info.access = ACCESS_EXEC;
    }
    return info;
}

/* The C side of every exception; returns the frame to resume, which the
 * scheduler may have switched to another thread's. */
static void dispatch(struct trap_frame *tf)
{
    unsigned exc = CAUSE_EXC(tf->cause);
    if (exc == EXC_INT) {
        uint32_t pending = tf->cause & tf->status;
        if (pending & CAUSE_IP2)
            mips_pic_interrupt();
        if (pending & CAUSE_IP7)
            mips_timer_interrupt();
        return;
    }
    if (exc == EXC_MOD || exc == EXC_TLBL || exc == EXC_TLBS) { /* a VTLB miss */
        uint32_t access = exc == EXC_TLBL ? AS_PROT_READ : AS_PROT_WRITE;
        if (exc == EXC_TLBL && tf->badvaddr == tf->epc)
            access = AS_PROT_EXECUTE;
        mips_tlb_fault(tf, tf->badvaddr, access);
        return;
    }
    /* arch_yield: the exit decides. A `syscall` from user mode here was in
     * a delay slot (trap.S takes the others): the user's exception. */
    if (exc == EXC_SYS && !(tf->cause & CAUSE_BD) && !arch_frame_from_user(tf)) {
        tf->epc += 4;
        return;
    }
    struct trap_info info = decode_exception(tf);
    uint32_t epc = tf->epc;
    trap_exception(tf, &info);
    /* Resolved. A break leaves EPC on itself: step over, unless the
     * handler sent the frame elsewhere (arch_frame_call_kernel). */
    if (exc == EXC_BP && tf->epc == epc) {
        if (tf->cause & CAUSE_BD)
            panic_trap(tf, "resuming after a %s in a branch delay slot", trap_kind_name(info.kind));
        tf->epc += 4;
    }
}

struct trap_frame *mips_trap(struct trap_frame *tf)
{
    sched_trap_enter(tf);
    dispatch(tf);
    return sched_trap_exit(tf);
}

static const char *const reg_names[32] = {
    "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2",
    "t3",   "t4", "t5", "t6", "t7", "s0", "s1", "s2", "s3", "s4", "s5",
    "s6",   "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
};

void arch_dump_registers(const struct trap_frame *tf)
{
    kprintf("  epc %08x  status %08x  cause %08x  badvaddr %08x\n", tf->epc, tf->status, tf->cause,
            tf->badvaddr);
    for (int i = 0; i < 32; i += 4) {
        kprintf("  %-4s %08x  %-4s %08x  %-4s %08x  %-4s %08x\n", reg_names[i], tf->regs[i],
                reg_names[i + 1], tf->regs[i + 1], reg_names[i + 2], tf->regs[i + 2],
                reg_names[i + 3], tf->regs[i + 3]);
    }
    kprintf("  hi %08x  lo %08x\n", tf->hi, tf->lo);
}
