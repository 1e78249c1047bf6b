/* Where the kernel starts the runtime's own code on MIPS (see lib/arch.h),
 * in the runtime DLL: each with one pointer in a0, set up as crt0.S's
 * _start: _thread_start, a thread the runtime made (lib/thread.c), calls
 * rt_thread_main(thread); _exception_start, on the faulting thread
 * (lib/exception.c), calls rt_exception_main(record). */
    .set noreorder

    .macro ENTRY name, fn
    .text
    .globl \name
    .ent \name
    .type \name, @function
\name:
    move $fp, $zero
    move $ra, $zero
    li $t0, -8
    and $sp, $sp, $t0
    addiu $sp, $sp, -16
    jal \fn                  /* a0 is the argument */
    nop
    break
    .end \name
    .size \name, . - \name
    .endm

    ENTRY _thread_start, rt_thread_main
    ENTRY _exception_start, rt_exception_main
