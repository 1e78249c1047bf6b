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

/* The two other ways the kernel starts user code, each with one pointer
 * in eax and set up as _start does: _thread_start, a thread the runtime
 * made (lib/thread.c), calls rt_thread_main(thread); _exception_start, on
 * the faulting thread (lib/exception.c), calls rt_exception_main(record). */
    .macro ENTRY name, fn
    .text
    .globl \name
    .type \name, @function
\name:
    xorl %ebp, %ebp
    andl $-16, %esp
    subl $12, %esp
    pushl %eax
    call \fn
    ud2
    .size \name, . - \name
    .endm

    ENTRY _thread_start, rt_thread_main
    ENTRY _exception_start, rt_exception_main
