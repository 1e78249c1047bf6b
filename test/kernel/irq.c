/* A device interrupt handler that touches mapped memory (paper 2.3 allows
 * only unmapped memory) is caught by the translation-fault path: the
 * guest's KSELFTEST does it on purpose and must panic with the message,
 * on both arches. */
#include <criterion/criterion.h>
#include <string.h>

#include "../harness/guest.h"

static void mapped_access_in_handler_panics(const char *arch)
{
    struct guest_run run = guest_run_test(arch, "selftest_irq_handler_touches_mapped_memory", 0);
    cr_expect_eq(run.outcome, GUEST_PANIC, "%s", run.log);
    cr_expect(strstr(run.verdict, "PANIC: device interrupt handler touched mapped memory at 0x"),
              "verdict: %s", run.verdict);
    guest_run_free(&run);
}
BOTH_ARCHES(irq_handler_mapped_access_panics, mapped_access_in_handler_panics)
