/* Word copies (see <kernel/arch.h>): sixteen words a turn, loads before
 * stores, so the loop's own instructions are a tenth of the loads and
 * stores and no load waits on the store before it. */
#ifndef ARCH_MIPS_COPY_H
#define ARCH_MIPS_COPY_H

#include <stddef.h>
#include <stdint.h>

static inline void arch_copy_words(void *dst, const void *src, size_t words)
{
    uint32_t *d = dst;
    const uint32_t *s = src;
    for (; words >= 16; words -= 16, s += 16, d += 16) {
        uint32_t w[16];
        for (int k = 0; k < 16; k++)
            w[k] = s[k];
        for (int k = 0; k < 16; k++)
            d[k] = w[k];
    }
    while (words--)
        *d++ = *s++;
}

#endif
