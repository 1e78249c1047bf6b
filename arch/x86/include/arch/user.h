/* x86 user mode: what a trap frame from ring 3 holds, and the kernel
 * call's registers (`int $0x80`: eax handle, edx method, ecx argument
 * block; the result in eax). Part of the arch contract (<kernel/arch.h>). */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#include <arch/trap.h>
#include <stdbool.h>
#include <stdint.h>

#define KCALL_VECTOR 0x80

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

#endif
