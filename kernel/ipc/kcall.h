/* Kernel calls (paper 1.1, 3.3): a user thread's generic proxy traps with
 * (handle, method index, argument block) and the call runs on the calling
 * thread, in kernel mode, with pointer arguments passed through by the
 * user/kernel bias after a bounds check against the method's signature. */
#ifndef KERNEL_IPC_KCALL_H
#define KERNEL_IPC_KCALL_H

#include <arch/trap.h>
#include <com/com.h>

/* The arch's kernel-call trap lands here (<kernel/arch.h>, user mode): tf
 * holds the user registers; the result goes back through
 * arch_kcall_set_result, and a pending exception is raised on the way out. */
void kcall_enter(struct trap_frame *tf);

/* Guest tests of an arch's call path set this to see the raw call: when
 * set, kcall_enter returns what it returns and does nothing else. */
extern SCODE (*kcall_test_hook)(uint32_t handle, uint32_t method, uintptr_t block);

#endif
