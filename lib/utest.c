/* The failure count of <utest.h>'s checks. */
#include <utest.h>

int utest_failures;
