// Diagnostics in the one form build tools understand:
// file.idl:line:col: error: message
#include "idlc.h"

#include <stdarg.h>
#include <stdio.h>

static int nerrors;

void diag_error(struct pos pos, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%u:%u: error: ", pos.file ? pos.file : "<unknown>", pos.line ? pos.line : 1,
            pos.col ? pos.col : 1);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    nerrors++;
}

int diag_count(void)
{
    return nerrors;
}

void diag_reset(void)
{
    nerrors = 0;
}
