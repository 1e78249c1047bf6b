/* The kernel command line: space-separated words, "key=value" or "key". */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Find `key` in `cmdline`. If found, copy its value ("" for a bare key)
 * into out (truncated to size-1 chars, always terminated) and return true. */
bool cmdline_get(const char *cmdline, const char *key, char *out, size_t size);

/* key=N with N a decimal number: 1 with *value set, 0 if key is absent,
 * -1 if its value is not a number (or too large). */
int cmdline_get_uint(const char *cmdline, const char *key, unsigned long *value);

#endif
