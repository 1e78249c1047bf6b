/* A `ninja run` session (see session.h). */
#include "session.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void interactive_session(const char *arch, const char *env, const char *cmdline, const char *input,
                         struct session *s)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "(sleep %d; printf '%s') | %s timeout 60 '%s/tools/qemu' --interactive %s "
             "'%s/%s/kernel.elf' %s 2>&1; echo \"status=$?\"",
             SESSION_IDLE_SECONDS, input, env, SRCDIR, arch, BUILDDIR, arch, cmdline);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(s->out, 1, sizeof s->out - 1, p);
    s->out[n] = '\0';
    pclose(p);
    char *w = s->out; /* the console's \r\n, as a terminal gets it */
    for (const char *r = s->out; *r; r++) {
        if (*r != '\r')
            *w++ = *r;
    }
    *w = '\0';
    const char *st = strstr(s->out, "status=");
    cr_assert_not_null(st, "%s", s->out);
    s->status = atoi(st + 7);
}
