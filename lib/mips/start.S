/* _start for MIPS user programs (see lib/arch.h): a0 holds the user
 * address of PROCESS_START_INFO; sp is valid but of unknown alignment.
 * -G0 code never uses $gp, so it is left alone. */
    .set noreorder
    .section .text.start, "ax"
    .globl _start
    .ent _start
    .type _start, @function
_start:
    move $fp, $zero         /* no caller frame: backtraces stop here */
    move $ra, $zero
    li $t0, -8
    and $sp, $sp, $t0       /* o32: 8-byte aligned stack */
    addiu $sp, $sp, -16     /* o32: the callee's home for a0-a3 */
    jal rt_start            /* rt_start(info): a0 is already the argument */
    nop
    break                   /* rt_start never returns; if it did, trap */
    .end _start
    .size _start, . - _start

/* The two other ways the kernel starts user code, each with one pointer
 * in a0 and set up as _start does: _thread_start, a thread the runtime
 * made (lib/thread.c), calls rt_thread_main(thread); _exception_start, on
 * the faulting thread (lib/exception.c), calls rt_exception_main(record). */
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
