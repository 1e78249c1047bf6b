/* Exception vectors and the common trap path. EBase points at
 * exception_base (4 KiB aligned in the kernel image).
 *
 * +0x000, TLB refill: the fast path of the VTLB. It looks the missing
 * page pair up in the 2-way software TLB (arch/mips/vtlb.c) using only k0
 * and k1, and writes the hardware TLB; way 0 hits in 19 instructions,
 * the set's refill counter included. A miss in both ways marks
 * stlb_refill_missed and takes the general path.
 *
 * +0x180, everything else. A kernel call (`syscall` from user mode, not
 * in a branch delay slot) goes to kcall_entry below. The rest goes to
 * trap_save, which sets the kernel ASID of the active pair (EntryHi bit 0,
 * <arch/mips.h>), moves to the interrupt stack (unless already on it),
 * builds a struct trap_frame (<arch/trap.h>), calls mips_trap(frame) and
 * restores everything from the frame it returns: the same one, or, after a
 * thread switch, the next thread's (kept in its struct thread); resuming
 * user mode, it switches to the pair's user ASID. The refill fast path
 * runs under whatever ASID is current: user refills find user-ASID
 * entries, kernel refills kernel-ASID ones. */
#include <arch/mips.h>
#include <arch/stlb.h>
#include <arch/trap.h>
#include <config.h>

#define INTERRUPT_STACK_SIZE 8192

#define SAVE(n)    sw $n, 16 + TF_REG(n)($sp)
#define RESTORE(n) lw $n, 16 + TF_REG(n)($sp)
/* the kernel call's frame, at k0 */
#define KSAVE(n)    sw $n, TF_REG(n)($k0)
#define KRESTORE(n) lw $n, TF_REG(n)($k0)

    .section .text.vectors, "ax"
    .set noreorder
    .set noat
    .globl exception_base
exception_base:
    /* k1 = &stlb[STLB_SET(EntryHi) mod sets][0] (arch/stlb.h): the twin
     * of set_of in vtlb.c (and refill_way1's below); change them together */
    mfc0 $k0, C0_ENTRYHI
    sll $k1, $k0, 7
    xor $k1, $k1, $k0       /* h ^ h << 7 */
    srl $k0, $k0, 13
    xor $k0, $k1, $k0       /* ... ^ h >> 13 */
    lui $k1, %hi(stlb)
    .globl refill_ins0
refill_ins0: /* vtlb.c rewrites the width when the bound changes */
    ins $k1, $k0, STLB_SET_SHIFT, CONFIG_VTLB_SET_BITS
    lw $k0, %lo(stlb + STLB_REFILLS)($k1) /* %lo(stlb) is 0: stlb is 64 KiB aligned */
    addiu $k0, $k0, 1
    sw $k0, STLB_REFILLS($k1)
    /* way 0: load both halves first, then check the tag */
    lw $k0, STLB_LO0($k1)
    mtc0 $k0, C0_ENTRYLO0
    lw $k0, STLB_LO1($k1)
    mtc0 $k0, C0_ENTRYLO1
    lw $k0, STLB_TAG($k1)
    mfc0 $k1, C0_ENTRYHI
    bne $k0, $k1, refill_way1
    nop
    ehb
    tlbwr
    eret
refill_way1: /* k1 = EntryHi; the set again, as set_of in vtlb.c computes it */
    sll $k0, $k1, 7
    xor $k0, $k0, $k1       /* h ^ h << 7 */
    srl $k1, $k1, 13
    xor $k0, $k0, $k1       /* ... ^ h >> 13 */
    lui $k1, %hi(stlb)
    .globl refill_ins1
refill_ins1:
    ins $k1, $k0, STLB_SET_SHIFT, CONFIG_VTLB_SET_BITS
    lw $k0, %lo(stlb + STLB_ENTRY_SIZE + STLB_LO0)($k1)
    mtc0 $k0, C0_ENTRYLO0
    lw $k0, STLB_ENTRY_SIZE + STLB_LO1($k1)
    mtc0 $k0, C0_ENTRYLO1
    lw $k0, STLB_ENTRY_SIZE + STLB_TAG($k1)
    mfc0 $k1, C0_ENTRYHI
    bne $k0, $k1, refill_miss
    nop
    ehb
    tlbwr
    eret
refill_miss:
    lui $k0, %hi(stlb_refill_missed)
    li $k1, 1
    j trap_save
    sw $k1, %lo(stlb_refill_missed)($k0)
    .org 0x180 /* everything else: is it a kernel call? */
    mfc0 $k1, C0_STATUS
    andi $k1, $k1, ST_KSU_USER
    beqz $k1, trap_save /* from kernel mode: the general path */
    mfc0 $k0, C0_CAUSE
    bltz $k0, trap_save /* Cause.BD: in a delay slot, the general path */
    ext $k0, $k0, 2, 5
    xori $k0, $k0, EXC_SYSCALL
    beqz $k0, kcall_entry
    nop
    /* trap_save and kcall_entry follow in this section, in branch range */
trap_save:
    mfc0 $k0, C0_ENTRYHI /* kernel mode runs under the pair's kernel ASID */
    ori $k0, $k0, ASID_KERNEL_BIT
    mtc0 $k0, C0_ENTRYHI
    move $k1, $sp
    /* onto the interrupt stack, unless already there */
    la $k0, interrupt_stack_top
    subu $k0, $k0, $sp
    sltiu $k0, $k0, INTERRUPT_STACK_SIZE + 1
    bnez $k0, 1f
    nop
    la $sp, interrupt_stack_top
1:  addiu $sp, $sp, -TF_STACK
    sw $k1, 16 + TF_REG(29)($sp)
    SAVE(1); SAVE(2); SAVE(3); SAVE(4); SAVE(5); SAVE(6); SAVE(7)
    SAVE(8); SAVE(9); SAVE(10); SAVE(11); SAVE(12); SAVE(13); SAVE(14); SAVE(15)
    SAVE(16); SAVE(17); SAVE(18); SAVE(19); SAVE(20); SAVE(21); SAVE(22); SAVE(23)
    SAVE(24); SAVE(25); SAVE(28); SAVE(30); SAVE(31)
    mflo $k0
    sw $k0, 16 + TF_LO($sp)
    mfhi $k0
    sw $k0, 16 + TF_HI($sp)
    mfc0 $k0, C0_EPC
    sw $k0, 16 + TF_EPC($sp)
    mfc0 $k0, C0_STATUS
    sw $k0, 16 + TF_STATUS($sp)
    mfc0 $k0, C0_CAUSE
    sw $k0, 16 + TF_CAUSE($sp)
    mfc0 $k0, C0_BADVADDR
    sw $k0, 16 + TF_BADVADDR($sp)
    ehb /* the kernel ASID, before any mapped access */
    jal mips_trap
    addiu $a0, $sp, 16
    addiu $sp, $v0, -16 /* the frame to resume: this one, or another thread's */

    lw $k0, 16 + TF_LO($sp)
    mtlo $k0
    lw $k0, 16 + TF_HI($sp)
    mthi $k0
    lw $k0, 16 + TF_EPC($sp)
    mtc0 $k0, C0_EPC
    lw $k0, 16 + TF_STATUS($sp) /* still has EXL: interrupts stay off until eret */
    mtc0 $k0, C0_STATUS
    andi $k0, $k0, ST_KSU_USER
    beqz $k0, 1f
    mfc0 $k1, C0_ENTRYHI
    ins $k1, $zero, 0, 1 /* to user mode: the pair's user ASID */
    mtc0 $k1, C0_ENTRYHI
1:
    RESTORE(1); RESTORE(2); RESTORE(3); RESTORE(4); RESTORE(5); RESTORE(6); RESTORE(7)
    RESTORE(8); RESTORE(9); RESTORE(10); RESTORE(11); RESTORE(12); RESTORE(13); RESTORE(14)
    RESTORE(15); RESTORE(16); RESTORE(17); RESTORE(18); RESTORE(19); RESTORE(20); RESTORE(21)
    RESTORE(22); RESTORE(23); RESTORE(24); RESTORE(25); RESTORE(28); RESTORE(30); RESTORE(31)
    lw $sp, 16 + TF_REG(29)($sp)
    ehb
    eret

    /* The kernel call (<kernel/arch.h>, user mode): `syscall` from user
     * mode, EXL set. The kernel ASID first; then the user registers go to
     * the calling thread's kernel-call frame (mips_kcall_frame, inside its
     * struct thread in kseg0: nothing mapped may be touched with EXL set,
     * since a TLB miss then loses EPC), EPC past the syscall. Then onto
     * the thread's kernel stack, out of exception level into kernel mode
     * with interrupts on, and kcall_enter(frame) runs as thread code; it
     * may block or be preempted (s0 keeps the frame across). */
kcall_entry:
    mfc0 $k0, C0_ENTRYHI
    ori $k0, $k0, ASID_KERNEL_BIT
    mtc0 $k0, C0_ENTRYHI
    lui $k0, %hi(mips_kcall_frame)
    lw $k0, %lo(mips_kcall_frame)($k0)
    KSAVE(1); KSAVE(2); KSAVE(3); KSAVE(4); KSAVE(5); KSAVE(6); KSAVE(7)
    KSAVE(8); KSAVE(9); KSAVE(10); KSAVE(11); KSAVE(12); KSAVE(13); KSAVE(14); KSAVE(15)
    KSAVE(16); KSAVE(17); KSAVE(18); KSAVE(19); KSAVE(20); KSAVE(21); KSAVE(22); KSAVE(23)
    KSAVE(24); KSAVE(25); KSAVE(28); KSAVE(29); KSAVE(30); KSAVE(31)
    mflo $k1
    sw $k1, TF_LO($k0)
    mfhi $k1
    sw $k1, TF_HI($k0)
    mfc0 $k1, C0_EPC
    addiu $k1, $k1, 4
    sw $k1, TF_EPC($k0)
    mfc0 $k1, C0_CAUSE
    sw $k1, TF_CAUSE($k0)
    mfc0 $k1, C0_STATUS
    sw $k1, TF_STATUS($k0)
    move $s0, $k0
    move $a0, $k0
    lui $k0, %hi(mips_kstack_top)
    lw $sp, %lo(mips_kstack_top)($k0)
    addiu $sp, $sp, -16 /* kcall_enter's argument area */
    ins $k1, $zero, 1, 4 /* EXL, ERL, KSU: kernel mode */
    ori $k1, $k1, 1 /* Status.IE */
    mtc0 $k1, C0_STATUS
    ehb
    jal kcall_enter
    nop
    di
    ehb
    move $a0, $s0
    /* fall through */

    /* mips_resume_user(frame): from kernel mode, interrupts off, resume
     * user mode from a frame in kseg0 (a kernel call's; arch_return_to_user
     * copies its frame there). Status first, so EXL is set and stays so
     * until the eret; then the pair's user ASID and the registers. */
    .globl mips_resume_user
mips_resume_user:
    move $k0, $a0
    lw $k1, TF_STATUS($k0)
    mtc0 $k1, C0_STATUS
    lw $k1, TF_EPC($k0)
    mtc0 $k1, C0_EPC
    lw $k1, TF_LO($k0)
    mtlo $k1
    lw $k1, TF_HI($k0)
    mthi $k1
    mfc0 $k1, C0_ENTRYHI
    ins $k1, $zero, 0, 1 /* the pair's user ASID */
    mtc0 $k1, C0_ENTRYHI
    KRESTORE(1); KRESTORE(2); KRESTORE(3); KRESTORE(4); KRESTORE(5); KRESTORE(6); KRESTORE(7)
    KRESTORE(8); KRESTORE(9); KRESTORE(10); KRESTORE(11); KRESTORE(12); KRESTORE(13)
    KRESTORE(14); KRESTORE(15); KRESTORE(16); KRESTORE(17); KRESTORE(18); KRESTORE(19)
    KRESTORE(20); KRESTORE(21); KRESTORE(22); KRESTORE(23); KRESTORE(24); KRESTORE(25)
    KRESTORE(28); KRESTORE(29); KRESTORE(30); KRESTORE(31)
    ehb
    eret

    .text
    /* arch_run_on_interrupt_stack(fn, arg) (<kernel/arch.h>): interrupts
     * off, then fn(arg) at the top of the interrupt stack, or where sp
     * already is if it is inside it (trap_save's test: traps taken in fn
     * then nest below it, as in any trap). Off the interrupt stack no
     * trap frame is live on it: a thread's saved context is kept in its
     * struct thread, so its top is free. s0 keeps the caller's sp, s1 its
     * Status; the frame holds ra, s0, s1 and fn's 16-byte argument area. */
    .globl arch_run_on_interrupt_stack
arch_run_on_interrupt_stack:
    addiu $sp, $sp, -32
    sw $ra, 28($sp)
    sw $s0, 24($sp)
    sw $s1, 20($sp)
    di $s1
    ehb
    move $s0, $sp
    la $t0, interrupt_stack_top
    subu $t1, $t0, $sp
    sltiu $t1, $t1, INTERRUPT_STACK_SIZE + 1
    bnez $t1, 1f
    nop
    addiu $sp, $t0, -16 /* fn's argument area, inside the stack */
1:  move $t9, $a0
    jalr $t9
    move $a0, $a1
    move $sp, $s0
    andi $s1, $s1, 1 /* Status.IE */
    beqz $s1, 2f
    nop
    ei
    ehb
2:  lw $s1, 20($sp)
    lw $s0, 24($sp)
    lw $ra, 28($sp)
    jr $ra
    addiu $sp, $sp, 32

    /* The interrupt stack (paper 3.2.1), in unmapped memory: traps,
     * interrupts and VTLB misses run on it, so none of them can fault on a
     * thread stack. */
    .bss
    .balign 16
    .globl interrupt_stack, interrupt_stack_top
interrupt_stack:
    .skip INTERRUPT_STACK_SIZE
interrupt_stack_top:
