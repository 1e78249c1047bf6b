/* size_is and length_is programs (<com/sig.h>) evaluated against an
 * argument block: the one evaluator every transport uses (the kernel call
 * path, and the host tests' loopback transport). Pure code.
 *
 * PARAM reads an integer argument of the block; DEREF reads the integer a
 * pointer argument of the block points to, through that pointer as it is
 * (so a transport makes it point at memory it may read first). Values are
 * 64-bit; overflow, a negative result, division by zero and a malformed
 * program are RPC_E_INVALID_BOUND, a NULL DEREF pointer E_POINTER. */
#ifndef KERNEL_IPC_SIGEVAL_H
#define KERNEL_IPC_SIGEVAL_H

#include <com/sig.h>

/* Evaluate ops against block; NULL ops gives dflt. */
SCODE com_sig_count(const struct com_method_sig *m, const void *block,
                    const struct com_expr_op *ops, uint64_t dflt, uint64_t *out);
/* count elements of size bytes, at most max bytes in all. */
SCODE com_sig_bytes(uint64_t count, uint32_t size, uint64_t max, size_t *out);

/* An integer of size bytes (at most 8) at `at`, zero-extended
 * (little-endian targets only). */
uint64_t com_sig_read_uint(const void *at, size_t size);
/* The pointer argument a of block. */
void *com_sig_read_ptr(const void *block, const struct com_arg_sig *a);
/* IN_PTR, OUT_PTR or INOUT_PTR: a pointer to plain data. */
bool com_sig_is_data_ptr(uint8_t kind);

#endif
