/* Leaving the machine, and walking the stack for backtraces. */
#include <arch/io.h>
#include <arch/x86.h>
#include <kernel/arch.h>
#include <kernel/boot.h>
#include <stddef.h>

/* unwind.S stores into struct unwind by offset. */
_Static_assert(offsetof(struct unwind, pc) == 0 && offsetof(struct unwind, sp) == 4 &&
                   offsetof(struct unwind, fp) == 8 && offsetof(struct unwind, ra) == 12,
               "struct unwind layout used by unwind.S");

/* QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4):
 * writing v ends QEMU with exit status (v << 1) | 1. The kernel writes
 * DEBUG_EXIT_BASE + status, which tools/qemu maps back to status: QEMU's
 * own failures (1) and signals (128 + N) cannot be mistaken for it. */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_BASE 0x70u
#define DEBUG_EXIT_MASK 0xfu

void arch_exit(int status)
{
    arch_irq_disable();
    io_write32(DEBUG_EXIT_PORT, DEBUG_EXIT_BASE + ((uint32_t)status & DEBUG_EXIT_MASK));
    for (;;) /* without the device: stop here (hlt is ring 0's) */
        x86_priv(PRIV_HALT, 0);
}

void arch_unwind_from_trap(struct unwind *u, const struct trap_frame *tf)
{
    *u = (struct unwind){.pc = tf->eip, .fp = tf->ebp, .sp = trap_frame_sp(tf)};
}

/* May the walk read the two words at a? */
static bool readable(const struct unwind *u, uintptr_t a)
{
    return (a >= (uintptr_t)__text_start && a < (uintptr_t)__kernel_end) ||
           (a >= u->stack_lo && a + 8 <= u->stack_hi);
}

/* Frames are chained through ebp: [ebp] is the caller's ebp and [ebp+4]
 * the return address. A frame pointer outside what it may read or not
 * growing towards older frames ends the walk. */
bool arch_unwind_step(struct unwind *u)
{
    if (u->fp == 0 || u->fp % 4 || !readable(u, u->fp))
        return false;
    const uintptr_t *frame = (const uintptr_t *)u->fp;
    uintptr_t next_fp = frame[0], ret = frame[1];
    if (ret < (uintptr_t)__text_start || ret >= (uintptr_t)__text_end)
        return false;
    if (next_fp != 0 && next_fp <= u->fp)
        return false;
    u->pc = ret;
    u->fp = next_fp;
    return true;
}
