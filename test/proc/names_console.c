/* The console's names command (kernel/proc/commands.c) lists each name
 * with its owner: "kernel", or the process's name and id. The guest test
 * user_names_listed_by_the_console registers a kernel name and starts a
 * server process that registers three, then runs it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../harness/guest.h"

static void lists_names_and_owners(const char *arch)
{
    struct guest_run run = guest_run_test(arch, "user_names_listed_by_the_console", 0);
    cr_assert_eq(run.outcome, GUEST_PASS, "%s", run.log);
    unsigned id = 0;
    const char *s = strstr(run.log, "names: server is process ");
    cr_assert(s && sscanf(s, "names: server is process %u", &id) == 1, "%s", run.log);
    char server[128];
    snprintf(server, sizeof server, "\n  %-32s test_names (%u)\n", "test.server", id);
    char kernel[128];
    snprintf(kernel, sizeof kernel, "\n  %-32s kernel\n", "test.kernel");
    cr_expect(strstr(s, server), "no line '%s':\n%s", server, s);
    cr_expect(strstr(s, kernel), "no line '%s':\n%s", kernel, s);
    static const char *const others[] = {"test.view", "test.local"};
    for (int i = 0; i < 2; i++) {
        snprintf(server, sizeof server, "\n  %-32s test_names (%u)\n", others[i], id);
        cr_expect(strstr(s, server), "no line '%s':\n%s", server, s);
    }
    cr_expect(strstr(s, "\n4 names\n"), "%s", s);
    guest_run_free(&run);
}

BOTH_ARCHES(user_names_console_lists_names_and_owners, lists_names_and_owners)
