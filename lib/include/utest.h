/* Checks for guest-side test programs (apps/test_*): each CHECK that
 * fails prints the program, line and what was expected, and the program's
 * exit status is the number of failed checks (0: pass), which the kernel's
 * guest test that ran it asserts. */
#ifndef UTEST_H
#define UTEST_H

#include <stdio.h>

extern int utest_failures;

/* Runs fn((void *)i) for i in [0, n) on n threads at once (at most
 * UTEST_MAX_THREADS), joins them and checks each returned 0. */
#define UTEST_MAX_THREADS 8
void utest_threads(int (*fn)(void *), unsigned n);

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            utest_failures++;                                                                      \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                 \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
        }                                                                                          \
    } while (0)

/* a == b for SCODEs and other 32-bit values, printing both on failure. */
#define CHECK_EQ(a, b)                                                                             \
    CHECK((unsigned long)(a) == (unsigned long)(b), "%#lx != %#lx", (unsigned long)(a),            \
          (unsigned long)(b))

#endif
