/* x86 user mode: what a trap frame from ring 3 holds, and the kernel
 * call's registers. Part of the arch contract (<kernel/arch.h>).
 *
 * User code runs at ring 3 in the user segments (base 0: a user address
 * is its linear address). A kernel call is `int $0x80` with
 *   eax  the handle
 *   edx  the method index
 *   ecx  the argument block's user address
 * and returns the call's result (an SCODE) in eax; every other register
 * is preserved. The gate goes straight to ring 1 on the thread's kernel
 * stack (arch/x86/kcall.S; docs/RING1-x86.md has the frame). */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#define KCALL_VECTOR 0x80

#ifndef __ASSEMBLER__
#include <arch/trap.h>
#include <stdbool.h>
#include <stdint.h>

static inline bool arch_frame_from_user(const struct trap_frame *tf)
{
    return (tf->cs & 3) == 3;
}

static inline uintptr_t arch_frame_pc(const struct trap_frame *tf)
{
    return tf->eip;
}

static inline uintptr_t arch_frame_sp(const struct trap_frame *tf)
{
    return trap_frame_sp(tf);
}

static inline void arch_frame_set_pc(struct trap_frame *tf, uintptr_t pc)
{
    tf->eip = (uint32_t)pc;
}

static inline uint32_t arch_kcall_handle(const struct trap_frame *tf)
{
    return tf->eax;
}

static inline uint32_t arch_kcall_method(const struct trap_frame *tf)
{
    return tf->edx;
}

static inline uintptr_t arch_kcall_block(const struct trap_frame *tf)
{
    return tf->ecx;
}

static inline void arch_kcall_set_result(struct trap_frame *tf, int32_t result)
{
    tf->eax = (uint32_t)result;
}

#endif /* __ASSEMBLER__ */
#endif
