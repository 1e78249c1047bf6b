/* The shell's line history: the last HISTORY_MAX lines, numbered from 1
 * as they were entered; `!!` and `!N` bring one back. */
#ifndef SHELL_HISTORY_H
#define SHELL_HISTORY_H

#include <stddef.h>

#define HISTORY_MAX  16
#define HISTORY_LINE 128

/* Remember line (cut to HISTORY_LINE - 1 bytes; blank lines are not kept). */
void history_add(const char *line);
/* Replace a line of the form `!!` or `!N` by the line it names (into
 * line, of size bytes): 1 if it was expanded, 0 if it is no such line
 * (left alone), -1 if it names a line not in the history. */
int history_expand(char *line, size_t size);
/* Print the history, oldest first, with numbers. */
void history_print(void);

#endif
