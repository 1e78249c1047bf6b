/* The x86 trap frame, as arch/x86/trap.S builds it on the stack: segment
 * registers, then pushal's registers, the vector and error code the
 * vector stub pushed, then what the CPU pushed. arch/x86/trap.c checks the
 * layout against trap.S's push order with _Static_assert. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>

struct trap_frame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_pushal, ebx, edx, ecx, eax;
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
    uint32_t esp, ss; /* pushed by the CPU only on a privilege change */
};

/* Bytes the CPU and trap.S push when the trap does not change privilege
 * (a trap nested in ring-0 code, on the interrupt stack). */
#define TRAP_FRAME_SAME_RING_SIZE 68

/* The interrupted code's stack pointer: pushed by the CPU when the trap
 * came from ring 1 or 3; else just above the frame (esp_pushal is esp after
 * the stub's two pushes and the CPU's three). */
static inline uint32_t trap_frame_sp(const struct trap_frame *tf)
{
    return (tf->cs & 3) ? tf->esp : tf->esp_pushal + 20;
}

#endif
