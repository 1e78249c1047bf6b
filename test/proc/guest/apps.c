/* Guest tests driven from user programs (apps/test_*, in kernel-test.elf's
 * boot archive): each runs as a process and its exit status is the
 * verdict; the runner then checks every page and heap byte came back. */
#include <kernel/ktest.h>
#include <kernel/proc/process.h>

/* Run a program to its end; its exit status. */
static int32_t run(int argc, const char *const *argv)
{
    struct process *p;
    SCODE sc = process_spawn(argv[0], argc, argv, &p);
    if (FAILED(sc)) {
        ktest_fail(__FILE__, __LINE__, "cannot start %s: %#x", argv[0], (unsigned)sc);
        return -1;
    }
    int32_t code = process_wait(p);
    process_release(p);
    return code;
}

#define RUN1(name) run(1, (const char *const[]){name})

KTEST(user_smoke)
{
    KT_ASSERT_EQ(RUN1("test_smoke"), 0);
}

KTEST(user_address_space_methods)
{
    KT_ASSERT_EQ(RUN1("test_vm"), 0);
}
