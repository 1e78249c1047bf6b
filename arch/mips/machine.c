/* Leaving the machine, and walking the stack for backtraces. */
#include <arch/mips.h>
#include <kernel/arch.h>
#include <kernel/boot.h>
#include <stddef.h>

/* unwind.S stores into struct unwind by offset. */
_Static_assert(offsetof(struct unwind, pc) == 0 && offsetof(struct unwind, sp) == 4 &&
                   offsetof(struct unwind, fp) == 8 && offsetof(struct unwind, ra) == 12,
               "struct unwind layout used by unwind.S");

/* Malta's board reset register (kseg1 of physical 0x1f000500): writing
 * 0x42 resets the board, which ends QEMU when it runs with -no-reboot. */
#define MALTA_RESET     ((volatile uint32_t *)0xbf000500u)
#define MALTA_RESET_VAL 0x42

void arch_exit(int status)
{
    (void)status; /* malta has no way to report it: the verdict line does */
    arch_irq_disable();
    *MALTA_RESET = MALTA_RESET_VAL;
    for (;;)
        ;
}

#define INSN_ADDIU_SP_SP 0x27bd0000u /* addiu sp, sp, imm */
#define INSN_SW_RA_SP    0xafbf0000u /* sw ra, imm(sp) */
#define PROLOGUE_SCAN    1024        /* instructions to look back for a prologue */

static bool in_text(uintptr_t a)
{
    return a >= (uintptr_t)__text_start && a < (uintptr_t)__text_end && a % 4 == 0;
}

/* May the walk read the word at a? */
static bool readable(const struct unwind *u, uintptr_t a)
{
    if (a % 4)
        return false;
    return (a >= (uintptr_t)__text_start && a < (uintptr_t)__kernel_end) ||
           (a >= u->stack_lo && a + 4 <= u->stack_hi);
}

void arch_unwind_from_trap(struct unwind *u, const struct trap_frame *tf)
{
    *u = (struct unwind){.pc = tf->epc, .sp = tf->regs[29], .fp = tf->regs[30], .ra = tf->regs[31]};
}

/* MIPS keeps no frame chain: find the function's prologue by scanning
 * back for "addiu sp, sp, -N" (the frame size), then forward for
 * "sw ra, off(sp)" (where the return address went). A function that
 * never saved ra is a leaf whose ra is still live, usable only for the
 * first frame of a trap (u->ra). Every address is checked before it is
 * read, so a confused walk ends instead of faulting.
 *
 * The scan starts at the instruction before pc: a return address is past
 * the call's delay slot, and when the call is the function's last
 * instruction (a call to a noreturn function) it is already the next
 * function's first, whose prologue is not this frame's. */
/* One frame up, reading code and stack words through r (the kernel's own
 * walk below, and user code's in user.c, which reads through probes). */
bool mips_unwind_step(struct unwind *u, const struct mips_unwind_reader *r)
{
    uint32_t insn, word;
    if (!r->code(u->pc, &insn) || !r->data(u, u->sp, &word))
        return false;
    uintptr_t p = u->pc - 4;
    int n = 0;
    while (n < PROLOGUE_SCAN && r->code(p, &insn) &&
           !((insn & 0xffff0000u) == INSN_ADDIU_SP_SP && (int16_t)insn < 0)) {
        p -= 4;
        n++;
    }
    if (n == PROLOGUE_SCAN || !r->code(p, &insn))
        return false;
    uintptr_t frame_size = (uintptr_t) - (int16_t)insn;
    uintptr_t ra = u->ra;
    for (uintptr_t q = p; q < u->pc && r->code(q, &insn); q += 4) {
        if ((insn & 0xffff0000u) == INSN_SW_RA_SP) {
            if (!r->data(u, u->sp + (uintptr_t)(int16_t)insn, &word))
                return false;
            ra = word;
            break;
        }
    }
    if (!ra || !r->code(ra, &insn))
        return false;
    u->pc = ra;
    u->sp += frame_size;
    u->ra = 0;
    return true;
}

static bool kernel_code(uintptr_t a, uint32_t *w)
{
    if (!in_text(a))
        return false;
    *w = *(const uint32_t *)a;
    return true;
}

static bool kernel_data(const struct unwind *u, uintptr_t a, uint32_t *w)
{
    if (!readable(u, a))
        return false;
    *w = *(const uint32_t *)a;
    return true;
}

bool arch_unwind_step(struct unwind *u)
{
    static const struct mips_unwind_reader kernel = {kernel_code, kernel_data};
    return mips_unwind_step(u, &kernel);
}
