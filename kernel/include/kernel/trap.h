/* Machine-independent exception dispatch. The arch decodes an exception
 * into a trap_info and calls trap_exception; handlers registered per kind
 * may resolve it, otherwise the kernel panics with the frame. */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <arch/trap.h>
#include <stdbool.h>
#include <stdint.h>

enum trap_kind {
    TRAP_DIVIDE,     /* integer divide by zero or overflow */
    TRAP_BREAKPOINT, /* int3, break */
    TRAP_ILLEGAL,    /* undefined or privileged instruction */
    TRAP_PAGE_FAULT, /* no valid translation (VTLB miss, page fault) */
    TRAP_PROTECTION, /* access not allowed (write to read-only, GP fault) */
    TRAP_ALIGNMENT,  /* misaligned access, address error */
    TRAP_BUS,        /* bus error */
    TRAP_OVERFLOW,   /* arithmetic overflow trap */
    TRAP_SYSCALL,    /* system call instruction */
    TRAP_OTHER,
    TRAP_NKINDS
};

enum trap_access { ACCESS_READ, ACCESS_WRITE, ACCESS_EXEC };

struct trap_info {
    enum trap_kind kind;
    enum trap_access access;
    uintptr_t addr; /* faulting data address, where the arch reports one */
    uint32_t code;  /* the arch's own cause code (vector, ExcCode) */
};

/* A handler returns true if it resolved the trap; execution then resumes
 * (after the instruction, for breakpoints and system calls). */
typedef bool (*trap_handler)(struct trap_frame *tf, const struct trap_info *info);

/* Install a handler for one kind; returns the previous one (or NULL). */
trap_handler trap_set_handler(enum trap_kind kind, trap_handler h);

/* Called by the arch for every exception; returns only if it was resolved. */
void trap_exception(struct trap_frame *tf, const struct trap_info *info);

const char *trap_kind_name(enum trap_kind kind);

#endif
