/* arch_unwind_here(struct unwind *u): record the caller's frame. A leaf
 * with no frame of its own, so ebp is still the caller's. It is only ever
 * called directly, by a 5-byte call rel32. */
#define CALL_REL32_SIZE 5
    .text
    .globl arch_unwind_here
arch_unwind_here:
    movl 4(%esp), %eax
    movl (%esp), %ecx
    subl $CALL_REL32_SIZE, %ecx
    movl %ecx, 0(%eax)  /* pc: the call itself, so frame #0 names its line */
    leal 4(%esp), %ecx
    movl %ecx, 4(%eax)  /* sp */
    movl %ebp, 8(%eax)  /* fp */
    movl $0, 12(%eax)   /* ra: unused on x86 */
    ret
