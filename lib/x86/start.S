/* Where the kernel starts the runtime's own code on i386 (see lib/arch.h),
 * in the runtime DLL: each with one pointer in eax, set up as crt0.S's
 * _start: _thread_start, a thread the runtime made (lib/thread.c), calls
 * rt_thread_main(thread); _exception_start, on the faulting thread
 * (lib/exception.c), calls rt_exception_main(record). */

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
