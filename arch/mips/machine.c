/* Leaving the machine, and walking the stack for backtraces. */
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
bool arch_unwind_step(struct unwind *u)
{
    if (!in_text(u->pc) || !readable(u, u->sp))
        return false;
    const uint32_t *p = (const uint32_t *)u->pc - 1;
    int n = 0;
    while (n < PROLOGUE_SCAN && in_text((uintptr_t)p) &&
           !((*p & 0xffff0000u) == INSN_ADDIU_SP_SP && (int16_t)*p < 0)) {
        p--;
        n++;
    }
    if (n == PROLOGUE_SCAN || !in_text((uintptr_t)p))
        return false;
    uintptr_t frame_size = (uintptr_t) - (int16_t)*p;
    uintptr_t ra = u->ra;
    for (const uint32_t *q = p; q < (const uint32_t *)u->pc; q++) {
        if ((*q & 0xffff0000u) == INSN_SW_RA_SP) {
            uintptr_t slot = u->sp + (uintptr_t)(int16_t)*q;
            if (!readable(u, slot))
                return false;
            ra = *(const uintptr_t *)slot;
            break;
        }
    }
    if (!ra || !in_text(ra))
        return false;
    u->pc = ra;
    u->sp += frame_size;
    u->ra = 0;
    return true;
}
