/* The kernel command-line lookup. */
#include <criterion/criterion.h>
#include <kernel/lib/cmdline.h>

Test(unit_cmdline, finds_values_and_bare_keys)
{
    char v[32];
    const char *cl = "build/x86/kernel.elf  test=vm_basic verbose hz=100";
    cr_expect(cmdline_get(cl, "test", v, sizeof v));
    cr_expect_str_eq(v, "vm_basic");
    cr_expect(cmdline_get(cl, "hz", v, sizeof v));
    cr_expect_str_eq(v, "100");
    cr_expect(cmdline_get(cl, "verbose", v, sizeof v));
    cr_expect_str_eq(v, "");
}

Test(unit_cmdline, matches_whole_keys_only)
{
    char v[32] = "untouched";
    cr_expect_not(cmdline_get("testing=1 xtest=2", "test", v, sizeof v));
    cr_expect_not(cmdline_get("", "test", v, sizeof v));
    cr_expect_not(cmdline_get("   ", "test", v, sizeof v));
    cr_expect_str_eq(v, "untouched");
    cr_expect(cmdline_get("test=a test=b", "test", v, sizeof v));
    cr_expect_str_eq(v, "a", "the first occurrence wins");
}

Test(unit_cmdline, truncates_long_values)
{
    char v[4];
    cr_expect(cmdline_get("test=abcdefgh", "test", v, sizeof v));
    cr_expect_str_eq(v, "abc");
}

Test(unit_cmdline, numbers)
{
    unsigned long v = 7;
    cr_expect_eq(cmdline_get_uint("vtlb=128 x", "vtlb", &v), 1);
    cr_expect_eq(v, 128);
    cr_expect_eq(cmdline_get_uint("x", "vtlb", &v), 0);
    cr_expect_eq(cmdline_get_uint("vtlb=12a", "vtlb", &v), -1);
    cr_expect_eq(cmdline_get_uint("vtlb=", "vtlb", &v), -1);
    cr_expect_eq(cmdline_get_uint("vtlb=99999999999999999999999", "vtlb", &v), -1);
    cr_expect_eq(v, 128, "untouched on failure");
}
