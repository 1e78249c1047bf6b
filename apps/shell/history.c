/* The shell's line history (see history.h): a ring of the last lines. */
#include "history.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char lines[HISTORY_MAX][HISTORY_LINE];
static unsigned count; /* lines entered so far; line n (from 1) is lines[(n - 1) % MAX] */

void history_add(const char *line)
{
    while (*line == ' ')
        line++;
    if (!*line)
        return;
    size_t n = strlen(line);
    if (n >= HISTORY_LINE)
        n = HISTORY_LINE - 1;
    char *slot = lines[count % HISTORY_MAX];
    memcpy(slot, line, n);
    slot[n] = '\0';
    count++;
}

/* Line number n of the history, or NULL when it is gone or not yet there. */
static const char *history_get(unsigned long n)
{
    if (n == 0 || n > count || count - n >= HISTORY_MAX)
        return NULL;
    return lines[(n - 1) % HISTORY_MAX];
}

int history_expand(char *line, size_t size)
{
    if (line[0] != '!' || !line[1])
        return 0;
    unsigned long n = count;
    if (strcmp(line, "!!") != 0) {
        char *end;
        n = strtoul(line + 1, &end, 10);
        if (*end)
            return 0;
    }
    const char *h = history_get(n);
    if (!h || strlen(h) >= size)
        return -1;
    memcpy(line, h, strlen(h) + 1);
    return 1;
}

void history_print(void)
{
    unsigned first = count > HISTORY_MAX ? count - HISTORY_MAX + 1 : 1;
    for (unsigned n = first; n <= count; n++)
        printf("%5u  %s\n", n, history_get(n));
}
