/* MIPS user mode: what a trap frame from user mode holds, and the kernel
 * call's registers (`syscall` with a0 handle, a1 method, a2 argument
 * block; the result in v0). Part of the arch contract (<kernel/arch.h>). */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#include <arch/trap.h>
#include <stdbool.h>
#include <stdint.h>

#define STATUS_UM 0x10 /* Status.KSU = user (with EXL clear) */

static inline bool arch_frame_from_user(const struct trap_frame *tf)
{
    return (tf->status & STATUS_UM) != 0;
}

static inline uintptr_t arch_frame_pc(const struct trap_frame *tf)
{
    return tf->epc;
}

static inline uintptr_t arch_frame_sp(const struct trap_frame *tf)
{
    return tf->regs[29];
}

static inline void arch_frame_set_pc(struct trap_frame *tf, uintptr_t pc)
{
    tf->epc = (uint32_t)pc;
}

static inline uint32_t arch_kcall_handle(const struct trap_frame *tf)
{
    return tf->regs[4];
}

static inline uint32_t arch_kcall_method(const struct trap_frame *tf)
{
    return tf->regs[5];
}

static inline uintptr_t arch_kcall_block(const struct trap_frame *tf)
{
    return tf->regs[6];
}

static inline void arch_kcall_set_result(struct trap_frame *tf, int32_t result)
{
    tf->regs[2] = (uint32_t)result;
}

#endif
