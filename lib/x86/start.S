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
