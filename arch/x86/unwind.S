/* arch_unwind_here(struct unwind *u): record the caller's frame. A leaf
 * with no frame of its own, so ebp is still the caller's. */
    .text
    .globl arch_unwind_here
arch_unwind_here:
    movl 4(%esp), %eax
    movl (%esp), %ecx
    movl %ecx, 0(%eax)  /* pc: the return address, inside the caller */
    leal 4(%esp), %ecx
    movl %ecx, 4(%eax)  /* sp */
    movl %ebp, 8(%eax)  /* fp */
    movl $0, 12(%eax)   /* ra: unused on x86 */
    ret
