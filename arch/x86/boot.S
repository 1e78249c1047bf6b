/* The i386 entry point. The multiboot loader (QEMU -kernel) enters _start
 * in protected mode with paging off, eax = multiboot magic and ebx = the
 * physical address of the multiboot information.
 *
 * We turn on paging with a boot page directory of 4 MiB pages: the first
 * 4 MiB identity-mapped (only while we jump), and linear 0xC0000000 up
 * mapped onto physical 0 (the unmapped region, 1 GiB). Then we load code
 * and data segments whose base is 1 GiB, so kernel virtual address v is
 * linear v + 1 GiB, and jump to the kernel's virtual addresses. */
#include <arch/x86.h>

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003 /* page-align modules, provide memory info */

#define CR0_PG  0x80000000
#define CR0_WP  0x00010000
#define CR4_PSE 0x00000010
#define PDE_4M  0x83 /* present, writable, 4 MiB page */

    .section .multiboot, "a"
    .balign 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .boot.text, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    movl %eax, %esi /* multiboot magic */
    /* ebx keeps the multiboot information address */
    movl %cr4, %eax
    orl $CR4_PSE, %eax
    movl %eax, %cr4
    movl $boot_pgdir, %eax
    movl %eax, %cr3
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP), %eax
    movl %eax, %cr0
    lgdt boot_gdt_desc
    ljmp $SEL_KCODE, $high_entry

    .section .boot.data, "aw"
    .balign 4096
    .globl boot_pgdir
boot_pgdir:
    .long PDE_4M /* identity 0-4 MiB, removed once we run high */
    .fill 767, 4, 0
    .set pde, 0
    .rept 256
    .long (pde << 22) | PDE_4M
    .set pde, pde + 1
    .endr

    .balign 8
boot_gdt:
    .quad 0
    .quad 0x40cf9a000000ffff /* SEL_KCODE: base 1 GiB, limit 4 GiB, ring 0 code */
    .quad 0x40cf92000000ffff /* SEL_KDATA: base 1 GiB, limit 4 GiB, ring 0 data */
boot_gdt_desc:
    .word boot_gdt_desc - boot_gdt - 1
    .long boot_gdt

    .text
high_entry:
    movw $SEL_KDATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    /* zero .bss (the boot stack lives there, so before using it) */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    movl $boot_stack_top, %esp
    xorl %ebp, %ebp /* ends backtraces */
    pushl %ebx
    pushl %esi
    call x86_boot
1:  hlt
    jmp 1b

    .bss
    .balign 16
    .globl boot_stack, boot_stack_top
boot_stack:
    .skip 16384
boot_stack_top:
