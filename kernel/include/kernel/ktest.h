/* Guest tests: kernel code registered by name and run when the kernel
 * command line says test=NAME. Each run prints one verdict line,
 *     ktest: verdict NAME pass
 *     ktest: verdict NAME fail: FILE:LINE: WHAT
 * and then ends the machine. The runner also fails a test that leaves
 * fewer free physical pages, or more bytes in any kernel heap (the
 * kernel's, kernel_as's nodes, the driver heap), than it found.
 *
 * KTEST tests in kernel/ run on both arches, those in arch/A/ on A only;
 * the host harness (test/harness) learns the names from the sources
 * through tools/list-ktests. KSELFTEST tests exist to check the harness
 * itself (they fail, panic or hang on purpose) and KBENCH ones measure;
 * neither is run as a test. */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>

/* The longest test name test=NAME can select (tools/list-ktests refuses
 * a longer one, reading this line). */
#define KTEST_NAME_MAX 63

enum ktest_kind { KTEST_TEST, KTEST_SELFTEST, KTEST_BENCH };

struct ktest {
    const char *name;
    void (*fn)(void);
    enum ktest_kind kind;
};

#define KTEST_DEFINE(name_, kind_)                                                                 \
    static void ktest_fn_##name_(void);                                                            \
    static const struct ktest ktest_##name_                                                        \
        __attribute__((section(".ktests"), used, aligned(4))) = {#name_, ktest_fn_##name_, kind_}; \
    static void ktest_fn_##name_(void)

#define KTEST(name)     KTEST_DEFINE(name, KTEST_TEST)
#define KSELFTEST(name) KTEST_DEFINE(name, KTEST_SELFTEST)
/* A benchmark: run by name like a test (tools/bench does), it prints
 * "bench: NAME key=value ..." lines of guest instructions and counts. */
#define KBENCH(name) KTEST_DEFINE(name, KTEST_BENCH)

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

/* Take the runner's baseline (free pages, heaps) again, now: for a test
 * that leaves something loaded on purpose before what it checks (a
 * service placed in the kernel stays for good). */
void ktest_rebaseline(void);

/* Run the test called `name` (or "list": print every test's name);
 * cmdline is the kernel's, for a test that takes settings from it
 * (ktest_cmdline). */
__attribute__((noreturn)) void ktest_main(const char *name, const char *cmdline);
const char *ktest_cmdline(void);

#endif
