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

/* _thread_start: where IProcess::CreateThread starts a thread the runtime
 * made (lib/thread.c), with its struct rt_thread in a0. */
    .text
    .globl _thread_start
    .ent _thread_start
    .type _thread_start, @function
_thread_start:
    move $fp, $zero
    move $ra, $zero
    li $t0, -8
    and $sp, $sp, $t0
    addiu $sp, $sp, -16
    jal rt_thread_main      /* rt_thread_main(thread): a0 is the argument */
    nop
    break
    .end _thread_start
    .size _thread_start, . - _thread_start

/* _exception_start: where the kernel starts the process's exception
 * handler (lib/exception.c) on the faulting thread, the address of its
 * EXCEPTION_RECORD in a0. */
    .globl _exception_start
    .ent _exception_start
    .type _exception_start, @function
_exception_start:
    move $fp, $zero
    move $ra, $zero
    li $t0, -8
    and $sp, $sp, $t0
    addiu $sp, $sp, -16
    jal rt_exception_main   /* rt_exception_main(record): a0 is the argument */
    nop
    break
    .end _exception_start
    .size _exception_start, . - _exception_start
