/* A kernel call's argument block made safe for the kernel to use (paper
 * 3.3): every pointer argument is checked against the caller's user range
 * using the method's signature, then rewritten as a kernel pointer by
 * adding the bias. Nothing is copied but the block itself (by the caller)
 * and the few integers a size_is reads through a pointer, which are copied
 * into shadows so the caller cannot change a count after it was checked.
 * Pure code: the host tests run it with a bias onto a buffer.
 *
 * A NULL pointer is passed as NULL when the argument is [unique] and
 * refused (E_POINTER) otherwise; a pointer outside [lo, hi), or one whose
 * element count overflows, is refused (E_POINTER, RPC_E_INVALID_BOUND);
 * so is a pointer not aligned for its element (the MIPS kernel would take
 * an address error on it). A string must end within max_string bytes and
 * within the range. Structures with embedded pointers are not passed to
 * the kernel (E_NOTIMPL): no kernel interface has them; their proxies
 * marshal them. Bytes read through the bias (strings, DEREF counts) may
 * land on the scratch page: that is the caller's exception, not the
 * kernel's. */
#ifndef KERNEL_IPC_ARGS_H
#define KERNEL_IPC_ARGS_H

#include <com/sig.h>
#include <stdbool.h>

struct user_view {
    uintptr_t lo, hi;  /* the user addresses a pointer may cover */
    uintptr_t bias;    /* the kernel sees user address u at u + bias */
    size_t max_string; /* the longest string argument, terminator included */
};

#define KCALL_MAX_SHADOWS 4

struct kcall_shadow {
    uint64_t value;  /* the integer, where the argument now points */
    uintptr_t user;  /* where it came from (kernel address) */
    uint8_t size;    /* its size in bytes */
    bool write_back; /* an [out] or [in, out] argument */
};

struct kcall_shadows {
    struct kcall_shadow s[KCALL_MAX_SHADOWS];
    unsigned n;
};

/* Check and rewrite block (the kernel's copy of the caller's) for m. */
SCODE kcall_translate(const struct com_method_sig *m, void *block, const struct user_view *v,
                      struct kcall_shadows *sh);
/* After the call: store the shadowed [out] integers back. */
void kcall_write_back(const struct kcall_shadows *sh);

#endif
