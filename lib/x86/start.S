/* _start for i386 user programs (see lib/arch.h): eax holds the user
 * address of PROCESS_START_INFO; esp is valid but of unknown alignment. */
    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp         /* the frame chain ends here: backtraces stop */
    andl $-16, %esp         /* the i386 ABI: 16-byte aligned at each call */
    subl $12, %esp
    pushl %eax              /* rt_start(info) */
    call rt_start
    ud2                     /* rt_start never returns; if it did, trap */
    .size _start, . - _start

/* _thread_start: where IProcess::CreateThread starts a thread the runtime
 * made (lib/thread.c), with its struct rt_thread in eax. */
    .text
    .globl _thread_start
    .type _thread_start, @function
_thread_start:
    xorl %ebp, %ebp
    andl $-16, %esp
    subl $12, %esp
    pushl %eax              /* rt_thread_main(thread) */
    call rt_thread_main
    ud2
    .size _thread_start, . - _thread_start

/* _exception_start: where the kernel starts the process's exception
 * handler (lib/exception.c) on the faulting thread, the address of its
 * EXCEPTION_RECORD in eax. */
    .globl _exception_start
    .type _exception_start, @function
_exception_start:
    xorl %ebp, %ebp
    andl $-16, %esp
    subl $12, %esp
    pushl %eax              /* rt_exception_main(record) */
    call rt_exception_main
    ud2
    .size _exception_start, . - _exception_start
