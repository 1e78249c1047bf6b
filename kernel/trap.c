/* Machine-independent exception dispatch (see <kernel/trap.h>). */
#include <kernel/arch.h>
#include <kernel/panic.h>
#include <kernel/proc/uexception.h>
#include <kernel/trap.h>

static trap_handler handlers[TRAP_NKINDS];

static const char *const kind_names[TRAP_NKINDS] = {
    [TRAP_DIVIDE] = "divide error",
    [TRAP_BREAKPOINT] = "breakpoint",
    [TRAP_ILLEGAL] = "illegal instruction",
    [TRAP_PAGE_FAULT] = "page fault",
    [TRAP_PROTECTION] = "protection fault",
    [TRAP_ALIGNMENT] = "alignment fault",
    [TRAP_BUS] = "bus error",
    [TRAP_OVERFLOW] = "overflow",
    [TRAP_SYSCALL] = "system call",
    [TRAP_OTHER] = "exception",
};

static const char *const access_names[] = {"read", "write", "execute"};

const char *trap_kind_name(enum trap_kind kind)
{
    return kind < TRAP_NKINDS ? kind_names[kind] : "unknown trap";
}

trap_handler trap_set_handler(enum trap_kind kind, trap_handler h)
{
    assert(kind < TRAP_NKINDS);
    trap_handler old = handlers[kind];
    handlers[kind] = h;
    return old;
}

void trap_exception(struct trap_frame *tf, const struct trap_info *info)
{
    trap_handler h = info->kind < TRAP_NKINDS ? handlers[info->kind] : 0;
    if (h && h(tf, info))
        return;
    if (arch_frame_from_user(tf) && uexception_trap(tf, info))
        return;
    panic_trap(tf, "unhandled %s (%s of address %#lx, cause %u)", trap_kind_name(info->kind),
               access_names[info->access], (unsigned long)info->addr, info->code);
}
