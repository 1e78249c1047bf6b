/* The MIPS trap frame that arch/mips/trap.S saves: all general
 * registers by number, hi/lo, and the CP0 state of the exception. The
 * offsets are shared with the assembly; trap.c checks them against the
 * struct with _Static_assert. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#define TF_REG(n)   ((n)*4)
#define TF_LO       128
#define TF_HI       132
#define TF_EPC      136
#define TF_STATUS   140
#define TF_CAUSE    144
#define TF_BADVADDR 148
#define TF_SIZE     152
/* Stack space trap.S takes: the frame plus the 16-byte argument area
 * the o32 ABI gives every callee, rounded to 8 bytes. */
#define TF_STACK (TF_SIZE + 16)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trap_frame {
    uint32_t regs[32]; /* regs[0], k0 and k1 are not saved */
    uint32_t lo, hi;
    uint32_t epc, status, cause, badvaddr;
};
#endif

#endif
