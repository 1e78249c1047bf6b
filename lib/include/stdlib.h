/* The part of the C library's <stdlib.h> the runtime has: the heap
 * (lib/heap.c, over IAddressSpace) and ending the process. */
#ifndef STDLIB_H
#define STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

/* The number at s (base 0: decimal, or hexadecimal after 0x). */
unsigned long strtoul(const char *s, char **end, int base);

/* Flushes the console and ends the process with `code` (IProcess::Terminate
 * on itself). */
__attribute__((noreturn)) void exit(int code);

#endif
