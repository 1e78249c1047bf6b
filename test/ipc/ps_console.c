/* The console's ps (kernel/proc/commands.c) shows a server's pool: its
 * threads now and its bound. The guest test ipc_ps_shows_a_server_pool
 * starts a server with a bound of two, calls it once, and runs ps. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../harness/guest.h"

static void shows_the_pool(const char *arch)
{
    struct guest_run run = guest_run_test(arch, "ipc_ps_shows_a_server_pool", 0);
    cr_assert_eq(run.outcome, GUEST_PASS, "%s", run.log);
    unsigned id = 0;
    const char *s = strstr(run.log, "ps: server is process ");
    cr_assert(s && sscanf(s, "ps: server is process %u", &id) == 1, "%s", run.log);
    char line[64];
    snprintf(line, sizeof line, "\n%4u %-16s %7u %5s ", id, "test_ipc", 2u, "1/2");
    cr_expect(strstr(s, line), "no line starting '%s':\n%s", line + 1, s);
    guest_run_free(&run);
}

BOTH_ARCHES(ipc_ps_shows_a_server_pool_console, shows_the_pool)
