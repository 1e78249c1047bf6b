/* The contract between the runtime's shared part (lib/) and each arch's
 * (lib/x86/, lib/mips/). Each arch provides:
 *
 *   crt0.S    linked into each program, not into the runtime DLL: the
 *             import note naming rt.dll (import.h), and _start, the
 *             program's entry point. The kernel starts the first thread
 *             there with the address of the process's PROCESS_START_INFO
 *             in the first argument register (x86 eax, MIPS a0) and a
 *             valid stack pointer; _start ends the frame chain, aligns the
 *             stack as the C ABI wants and calls rt_start(info, main).
 *             MIPS code is built with -G0 and never uses $gp, so nothing
 *             sets it up.
 *   start.S   _thread_start, where a thread the runtime makes begins
 *             (lib/thread.c), its struct rt_thread in the first argument
 *             register: it does the same and calls rt_thread_main.
 *             _exception_start, the same for the exception handler:
 *             rt_exception_main(record).
 *   kcall.c   com_invoke (<com/com.h>): the kernel call trap every proxy
 *             method ends in (<kernel/arch.h>, "User mode", has the
 *             registers).
 *
 * Nothing here may only work in user mode beyond kcall.c: the runtime is
 * one DLL (rt.dll) that processes and the kernel process share. */
#ifndef LIB_ARCH_H
#define LIB_ARCH_H

#include <IProcess.h>

/* Records the start block, makes the start-up proxies, runs the
 * program's main and exits with what it returns (lib/start.c). */
__attribute__((noreturn)) void rt_start(const PROCESS_START_INFO *info,
                                        int (*main)(int argc, char **argv));

struct rt_thread;
/* Runs a thread's function, then ends the thread with what it returned. */
__attribute__((noreturn)) void rt_thread_main(struct rt_thread *t);
void _thread_start(void);

/* Runs the program's exception handler on the faulting thread (the
 * kernel starts _exception_start, which calls it; lib/exception.c). */
__attribute__((noreturn)) void rt_exception_main(const EXCEPTION_RECORD *r);
void _exception_start(void);

#endif
