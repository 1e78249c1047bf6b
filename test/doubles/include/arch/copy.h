/* The host's word copies: the C library's memcpy. */
#ifndef TEST_DOUBLES_ARCH_COPY_H
#define TEST_DOUBLES_ARCH_COPY_H

#include <stddef.h>
#include <stdint.h>

static inline void arch_copy_words(void *dst, const void *src, size_t words)
{
    __builtin_memcpy(dst, src, words * 4);
}

#endif
