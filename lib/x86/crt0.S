/* The program's own start on i386 (see lib/arch.h), linked into every
 * executable and service, never into the runtime DLL: the note that
 * imports the runtime, and _start, which hands the start block (eax) and
 * main to the runtime's rt_start. */
#include "../import.h"

    IMPORT_DLL "rt.dll"

    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp         /* the frame chain ends here: backtraces stop */
    andl $-16, %esp         /* the i386 ABI: 16-byte aligned at each call */
    subl $8, %esp
    pushl $main
    pushl %eax              /* rt_start(info, main) */
    call rt_start
    ud2                     /* rt_start never returns; if it did, trap */
    .size _start, . - _start
