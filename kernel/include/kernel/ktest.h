/* Guest tests: kernel code registered by name and run when the kernel
 * command line says test=NAME. Each run prints one verdict line,
 *     ktest: verdict NAME pass
 *     ktest: verdict NAME fail: FILE:LINE: WHAT
 * and then ends the machine. The runner also fails a test that leaves
 * fewer free physical pages than it found.
 *
 * KTEST tests in kernel/ run on both arches, those in arch/A/ on A only;
 * the host harness (test/integration) learns the names from the sources
 * through tools/list-ktests. KSELFTEST tests exist to check the harness
 * itself (they fail, panic or hang on purpose) and are not run as tests. */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>

struct ktest {
    const char *name;
    void (*fn)(void);
    bool selftest;
};

#define KTEST_DEFINE(name_, selftest_)                                                             \
    static void ktest_fn_##name_(void);                                                            \
    static const struct ktest ktest_##name_                                                        \
        __attribute__((section(".ktests"), used, aligned(4))) = {#name_, ktest_fn_##name_,         \
                                                                 selftest_};                       \
    static void ktest_fn_##name_(void)

#define KTEST(name)     KTEST_DEFINE(name, false)
#define KSELFTEST(name) KTEST_DEFINE(name, true)

/* Record a failure (the first one wins); the test should return. */
void ktest_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool ktest_failed(void);

#define KT_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            ktest_fail(__FILE__, __LINE__, "%s", #cond);                                           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define KT_ASSERT_EQ(a, b)                                                                         \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            ktest_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", #a, #b, a_, b_);             \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Run the test called `name` (or "list": print every test's name). */
__attribute__((noreturn)) void ktest_main(const char *name);

#endif
