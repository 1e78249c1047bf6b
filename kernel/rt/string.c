/* Memory and string routines (see <kernel/string.h>). memcpy and memset
 * move whole words when both ends are word aligned (page copies and fills
 * on the fault paths are; memcpy through the arch's arch_copy_words),
 * bytes otherwise. */
#include <arch/copy.h>
#include <kernel/string.h>
#include <stdint.h>

typedef uintptr_t word;

static int aligned(const void *a, const void *b)
{
    return (((uintptr_t)a | (uintptr_t)b) & (sizeof(word) - 1)) == 0;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (aligned(d, s) && n >= sizeof(word)) {
        size_t words = n / sizeof(word);
        arch_copy_words(d, s, words);
        d += words * sizeof(word);
        s += words * sizeof(word);
        n -= words * sizeof(word);
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    if (aligned(d, d)) {
        word w = (unsigned char)c;
        w |= w << 8;
        w |= w << 16;
        for (; n >= 4 * sizeof(word); n -= 4 * sizeof(word), d += 4 * sizeof(word)) {
            word *dw = (word *)(void *)d;
            dw[0] = dw[1] = dw[2] = dw[3] = w;
        }
    }
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x - *y;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

size_t kstrlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
