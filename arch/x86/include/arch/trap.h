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

/* Bytes the CPU and trap.S push when the trap does not change privilege. */
#define TRAP_FRAME_SAME_RING_SIZE 68

#endif
