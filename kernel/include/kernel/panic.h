/* panic and assert. panic prints the message, the registers and a
 * backtrace (symbolized on the host by tools/symbolize), then stops the
 * machine. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

struct trap_frame;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* panic with the state of a trap: registers from the frame, and the
 * backtrace starting where the trap happened. */
__attribute__((noreturn, format(printf, 2, 3))) void panic_trap(const struct trap_frame *tf,
                                                                const char *fmt, ...);

#define assert(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            panic("assertion failed: %s (%s:%d, %s)", #cond, __FILE__, __LINE__, __func__);        \
    } while (0)

#endif
