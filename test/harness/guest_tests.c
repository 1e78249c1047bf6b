/* One Criterion test per guest test and arch: the list comes from the
 * kernel sources (build/gen/guest_tests.h, by tools/list-ktests), so a
 * KTEST needs no registration here. Reported as integration_ARCH::NAME. */
#include "guest.h"

#include <criterion/criterion.h>

#define GUEST_TEST(arch, name)                                                                     \
    Test(integration_##arch, name)                                                                 \
    {                                                                                              \
        guest_expect_pass(#arch, #name);                                                           \
    }
#include <guest_tests.h>
#undef GUEST_TEST
