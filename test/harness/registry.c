/* The kernel's test registry must hold exactly the tests the harness
 * found in the sources: a KTEST that failed to register, or a name the
 * source scan missed, would otherwise silently never run. */
#include "guest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST_TEST(arch, name) {#arch, #name},
static const struct {
    const char *arch, *name;
} expected[] = {
#include <guest_tests.h>
};
#undef GUEST_TEST

#define NEXPECTED (sizeof expected / sizeof expected[0])

static bool listed(const char *log, const char *name)
{
    char line[256];
    snprintf(line, sizeof line, "ktest: list %s\n", name);
    return strstr(log, line) != NULL;
}

static void check_registry(const char *arch)
{
    struct guest_opts opts = {.cmdline = "test=list"};
    struct guest_run run = guest_boot(arch, &opts);
    cr_assert_not_null(strstr(run.log, "ktest: list-end"), "%s: no test list:\n%s", arch, run.log);
    size_t want = 0;
    for (size_t i = 0; i < NEXPECTED; i++) {
        if (strcmp(expected[i].arch, arch) != 0)
            continue;
        want++;
        cr_expect(listed(run.log, expected[i].name), "%s: %s is in the sources but not registered",
                  arch, expected[i].name);
    }
    size_t got = 0;
    for (const char *p = run.log; (p = strstr(p, "ktest: list ")); p++)
        got++;
    cr_expect_eq(got, want, "%s: the kernel registers %zu tests, the sources define %zu", arch, got,
                 want);
    cr_expect_gt(want, 0, "no guest tests found for %s", arch);
    guest_run_free(&run);
}

/* What `ninja run` boots carries no guest test, benchmark or harness
 * self-test: nothing that panics, hangs or leaks on purpose. */
static void check_plain_kernel_has_no_tests(const char *arch)
{
    struct guest_opts opts = {.cmdline = "test=list", .plain = true};
    struct guest_run run = guest_boot(arch, &opts);
    const char *end = strstr(run.log, "ktest: list-end");
    cr_assert_not_null(end, "%s: no test list:\n%s", arch, run.log);
    cr_expect_eq(strstr(run.log, "ktest: list"), end, "%s: kernel.elf registers tests:\n%s", arch,
                 run.log);
    guest_run_free(&run);
}
BOTH_ARCHES(plain_kernel_carries_no_tests, check_plain_kernel_has_no_tests)

Test(integration_x86, registry_matches_sources)
{
    check_registry("x86");
}

Test(integration_mips, registry_matches_sources)
{
    check_registry("mips");
}
