/* The contract between the runtime's shared part (lib/) and each arch's
 * (lib/x86/, lib/mips/). Each arch provides:
 *
 *   start.S   _start, the executable's entry point. The kernel starts the
 *             first thread there with the user address of the process's
 *             PROCESS_START_INFO in the first argument register (x86 eax,
 *             MIPS a0) and a valid stack pointer; _start ends the frame
 *             chain, aligns the stack as the C ABI wants and calls
 *             rt_start(info). MIPS code is built with -G0 and never uses
 *             $gp, so nothing sets it up.
 *             _thread_start, where a thread the runtime makes begins
 *             (lib/thread.c), its struct rt_thread in the first argument
 *             register: it does the same and calls rt_thread_main.
 *             _exception_start, the same for the exception handler:
 *             rt_exception_main(record).
 *   kcall.c   com_invoke (<com/com.h>): the kernel call trap every proxy
 *             method ends in (<kernel/arch.h>, "User mode", has the
 *             registers).
 *
 * Nothing here may only work in user mode beyond those two files: the
 * loader will make lib/ a DLL the kernel shares. */
#ifndef LIB_ARCH_H
#define LIB_ARCH_H

#include <IProcess.h>

/* Records the start block, makes the start-up proxies, runs main and
 * exits with what it returns (lib/start.c). */
__attribute__((noreturn)) void rt_start(const PROCESS_START_INFO *info);

struct rt_thread;
/* Runs a thread's function, then ends the thread with what it returned. */
__attribute__((noreturn)) void rt_thread_main(struct rt_thread *t);
void _thread_start(void);

/* Runs the program's exception handler on the faulting thread (the
 * kernel starts _exception_start, which calls it; lib/exception.c). */
__attribute__((noreturn)) void rt_exception_main(const EXCEPTION_RECORD *r);
void _exception_start(void);

#endif
