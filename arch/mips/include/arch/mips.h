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

#define ST_CU0 0x10000000
#define ST_BEV 0x00400000
#define ST_IM7 0x00008000 /* the CP0 timer's interrupt line */
#define ST_ERL 0x00000004
#define ST_EXL 0x00000002

#define CAUSE_BD     0x80000000
#define CAUSE_IP7    0x00008000
#define CAUSE_EXC(c) (((c) >> 2) & 0x1f)

#define ENTRYLO_G    0x1
#define ENTRYLO_V    0x2
#define ENTRYLO_D    0x4
#define ENTRYLO_C_WB 0x18 /* cacheable, noncoherent, write-back */

#ifndef __ASSEMBLER__
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
struct as *mips_vtlb_fault_space(uintptr_t va);
/* fault.c: a TLB exception at va by an access (AS_PROT_*) */
void mips_tlb_fault(struct trap_frame *tf, uintptr_t va, uint32_t access);
/* timer.c */
void mips_timer_interrupt(void);

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
#endif

#endif
