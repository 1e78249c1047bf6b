/* The few string and memory functions the kernel uses (kernel/rt/string.c;
 * the compiler also emits calls to memcpy, memmove and memset). */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Copy at most size-1 chars and always terminate; returns strlen(src). */
size_t kstrlcpy(char *dst, const char *src, size_t size);

#endif
