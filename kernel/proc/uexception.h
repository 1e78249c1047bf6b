/* User exceptions: a bad access, illegal instruction, divide by zero or
 * breakpoint in user mode, or an exception a kernel call left pending
 * (the scratch page), ends the process with a report on the console:
 * process, thread, pc, stack pointer, address, reason, and the exit code
 * Windows gives such a death (0xC0000005 for an access violation, ...).
 * The kernel keeps running. A process that registered a handler
 * (IProcess::SetExceptionHandler) gets the exception there first, on the
 * faulting thread, and may go on with ContinueAfterException. */
#ifndef KERNEL_PROC_UEXCEPTION_H
#define KERNEL_PROC_UEXCEPTION_H

#include <kernel/trap.h>

#define UEXC_ACCESS_VIOLATION 0xC0000005u
#define UEXC_ILLEGAL          0xC000001Du
#define UEXC_DIVIDE           0xC0000094u
#define UEXC_BREAKPOINT       0x80000003u
#define UEXC_GUARD_PAGE       0x80000001u /* STATUS_GUARD_PAGE_VIOLATION */
#define UEXC_OTHER            0xC0000409u

/* From trap_exception, for a frame from user mode: the thread leaves the
 * interrupt stack to report and end its process in thread context. */
bool uexception_trap(struct trap_frame *tf, const struct trap_info *info);
/* In thread context (kernel mode, on the thread's kernel stack): the
 * exception info of the user frame *tf goes to the process's handler, or
 * ends the process. */
__attribute__((noreturn)) void uexception_deliver(const struct trap_frame *tf,
                                                  const struct trap_info *info);
/* At the end of a kernel call: drop the scratch mappings, and raise the
 * exception the call left pending, if any (it then never returns). */
void uexception_raise_pending(struct trap_frame *tf);
/* The end of IProcess::ContinueAfterException: the kernel call's frame
 * becomes the one the exception found, at the pc the handler asked for. */
void uexception_continue(struct trap_frame *tf);
/* The exit code of a process ended by this exception (the kind's, and a
 * guard page's own for a page fault whose code is VMX_GUARD). */
uint32_t uexception_code(const struct trap_info *info);

#endif
