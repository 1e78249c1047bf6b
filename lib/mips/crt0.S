/* The program's own start on MIPS (see lib/arch.h), linked into every
 * executable and service, never into the runtime DLL: the note that
 * imports the runtime, and _start, which hands the start block (a0) and
 * main to the runtime's rt_start. The runtime is more than 256 MiB away
 * from a program at 4 MiB, beyond jal's reach: the call goes through a
 * register (programs are compiled with -mlong-calls for the same reason). */
#include "../import.h"

    IMPORT_DLL "rt.dll"

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
    la $a1, main            /* rt_start(info, main): a0 is already info */
    la $t9, rt_start
    jalr $t9
    nop
    break                   /* rt_start never returns; if it did, trap */
    .end _start
    .size _start, . - _start
