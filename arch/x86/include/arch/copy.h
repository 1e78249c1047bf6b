/* Word copies (see <kernel/arch.h>): one string move, which QEMU counts as
 * one instruction a word. */
#ifndef ARCH_X86_COPY_H
#define ARCH_X86_COPY_H

#include <stddef.h>
#include <stdint.h>

static inline void arch_copy_words(void *dst, const void *src, size_t words)
{
    __asm__ volatile("cld; rep movsl" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
}

#endif
