/* MIPS-only definitions shared by the files of arch/mips (the arch's
 * private header: kernel/ never includes it): CP0 registers and their
 * bits, the software TLB's layout, the entry points between files. */
#ifndef ARCH_MIPS_H
#define ARCH_MIPS_H

#define C0_INDEX    $0
#define C0_ENTRYLO0 $2
#define C0_ENTRYLO1 $3
#define C0_BADVADDR $8
#define C0_COUNT    $9
#define C0_COMPARE  $11
#define C0_STATUS   $12
#define C0_CAUSE    $13
#define C0_ENTRYHI  $10
#define C0_EPC      $14

#define ST_CU0      0x10000000
#define ST_BEV      0x00400000
#define ST_IM7      0x00008000 /* the CP0 timer's interrupt line */
#define ST_IM2      0x00000400 /* the PIIX4's 8259s (pic.c) */
#define ST_KSU_USER 0x00000010 /* Status.KSU = user (STATUS_UM of <arch/user.h>) */
#define ST_ERL      0x00000004
#define ST_EXL      0x00000002

#define EXC_SYSCALL 8 /* Cause.ExcCode of `syscall` */

/* ASID pairs: a user space's pair is (user ASID 2p, kernel ASID 2p + 1),
 * so kernel entry sets EntryHi's bit 0 and the return to user mode clears
 * it. ASID 1 is the kernel ASID when no user space is active. */
#define ASID_KERNEL_BIT 1
#define ASID_NO_SPACE   1

#define CAUSE_BD     0x80000000
#define CAUSE_IP7    0x00008000
#define CAUSE_IP2    0x00000400
#define CAUSE_EXC(c) (((c) >> 2) & 0x1f)

#define ENTRYLO_G    0x1
#define ENTRYLO_V    0x2
#define ENTRYLO_D    0x4
#define ENTRYLO_C_WB 0x18 /* cacheable, noncoherent, write-back */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#define CP0_ACCESSORS(name, reg, sel)                                                              \
    static inline uint32_t read_c0_##name(void)                                                    \
    {                                                                                              \
        uint32_t v;                                                                                \
        __asm__ volatile("mfc0 %0, $" #reg ", " #sel : "=r"(v));                                   \
        return v;                                                                                  \
    }                                                                                              \
    static inline void write_c0_##name(uint32_t v)                                                 \
    {                                                                                              \
        __asm__ volatile("mtc0 %0, $" #reg ", " #sel "\n\tehb" ::"r"(v) : "memory");               \
    }

/* Entry points between the files of arch/mips (never used by kernel/). */
struct trap_frame;
struct as;
/* vtlb.c */
void mips_vtlb_init(void);
void mips_tlb_clear_hw(void);
/* The space a TLB exception at va from user or kernel mode is a miss in,
 * and *space_va the address in it (va less the bias for a kernel access to
 * the user's biased view, which the next vtlb_enter then enters at va
 * under the kernel ASID); mips_vtlb_fault_done ends that fault. */
struct as *mips_vtlb_fault_space(uintptr_t va, bool from_user, uintptr_t *space_va);
void mips_vtlb_fault_done(void);
/* fault.c: a TLB exception at va by an access (AS_PROT_*) */
void mips_tlb_fault(struct trap_frame *tf, uintptr_t va, uint32_t access);
/* user.c: the current thread's kernel stack top and the kernel-call
 * frame inside its struct arch_thread (kseg0), for trap.S */
extern uint32_t mips_kstack_top;
extern struct trap_frame *mips_kcall_frame;
__attribute__((noreturn)) void mips_resume_user(struct trap_frame *tf);
/* timer.c */
void mips_timer_interrupt(void);
void mips_pic_init(void);      /* pic.c */
void mips_pic_interrupt(void); /* pic.c: IP2 */

CP0_ACCESSORS(index, 0, 0)
CP0_ACCESSORS(entrylo0, 2, 0)
CP0_ACCESSORS(entrylo1, 3, 0)
CP0_ACCESSORS(pagemask, 5, 0)
CP0_ACCESSORS(wired, 6, 0)
CP0_ACCESSORS(entryhi, 10, 0)
CP0_ACCESSORS(config1, 16, 1)
CP0_ACCESSORS(count, 9, 0)
CP0_ACCESSORS(compare, 11, 0)
CP0_ACCESSORS(status, 12, 0)
CP0_ACCESSORS(cause, 13, 0)
CP0_ACCESSORS(ebase, 15, 1)

/* The prologue-scanning walk (machine.c) over any memory: code(a) and
 * data(u, a) read one word, or say it may not be read. */
struct unwind;
struct mips_unwind_reader {
    bool (*code)(uintptr_t a, uint32_t *word);
    bool (*data)(const struct unwind *u, uintptr_t a, uint32_t *word);
};
bool mips_unwind_step(struct unwind *u, const struct mips_unwind_reader *r);
#endif

#endif
