/* kformat against the C library's printf: for every format and value in
 * the tables, ksnprintf must produce what snprintf produces, and return
 * the same length, at every buffer size. */
#include <criterion/criterion.h>
#include <kernel/kprintf.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CHECK_SAME(fmt, ...)                                                                       \
    do {                                                                                           \
        char want[256], got[256];                                                                  \
        int wn = snprintf(want, sizeof want, fmt, __VA_ARGS__);                                    \
        int gn = ksnprintf(got, sizeof got, fmt, __VA_ARGS__);                                     \
        cr_expect_str_eq(got, want, "format \"%s\"", fmt);                                         \
        cr_expect_eq(gn, wn, "length for \"%s\"", fmt);                                            \
    } while (0)

static const long long signed_values[] = {0,       1,       -1,      7,         -42,
                                          1000000, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN};
static const unsigned long long unsigned_values[] = {
    0, 1, 9, 10, 255, 4096, UINT_MAX, 0xdeadbeefcafef00dull, ULLONG_MAX};

Test(unit_kformat, integers_match_libc)
{
    static const char *const int_formats[] = {"%d", "%i", "%5d", "%-5d|", "%05d", "%1d", "%-05d|"};
    for (size_t f = 0; f < sizeof int_formats / sizeof *int_formats; f++) {
        for (size_t v = 0; v < sizeof signed_values / sizeof *signed_values; v++) {
            if (signed_values[v] >= INT_MIN && signed_values[v] <= INT_MAX)
                CHECK_SAME(int_formats[f], (int)signed_values[v]);
        }
    }
    for (size_t v = 0; v < sizeof signed_values / sizeof *signed_values; v++) {
        CHECK_SAME("%lld", signed_values[v]);
        CHECK_SAME("%ld", (long)signed_values[v]);
        CHECK_SAME("%25lld|", signed_values[v]);
        CHECK_SAME("%hhd %hd", (int)signed_values[v], (int)signed_values[v]);
    }
}

Test(unit_kformat, unsigned_match_libc)
{
    static const char *const formats[] = {"%llu",  "%llx",    "%llX",     "%llo",   "%#llx",
                                          "%#llo", "%020llx", "%-20llu|", "%#20llX"};
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        for (size_t v = 0; v < sizeof unsigned_values / sizeof *unsigned_values; v++)
            CHECK_SAME(formats[f], unsigned_values[v]);
    }
    for (size_t v = 0; v < sizeof unsigned_values / sizeof *unsigned_values; v++) {
        CHECK_SAME("%u %x %#x", (unsigned)unsigned_values[v], (unsigned)unsigned_values[v],
                   (unsigned)unsigned_values[v]);
        CHECK_SAME("%zu %zx", (size_t)unsigned_values[v], (size_t)unsigned_values[v]);
        CHECK_SAME("%hhu %hx", (unsigned)unsigned_values[v], (unsigned)unsigned_values[v]);
    }
}

Test(unit_kformat, strings_chars_and_widths_match_libc)
{
    CHECK_SAME("%s|%10s|%-10s|%.2s|%10.3s", "abc", "abc", "abc", "abc", "abcdef");
    CHECK_SAME("%c%c%5c%-3c|", 'a', 'b', 'c', 'd');
    CHECK_SAME("%*d|%-*d|%*s|", 6, 42, 6, 42, -6, "x");
    CHECK_SAME("100%% %s", "done");
    CHECK_SAME("%s", "");
    CHECK_SAME("no conversions at all%s", "");
    CHECK_SAME("%p", (void *)0x1234);
}

Test(unit_kformat, truncates_and_terminates)
{
    char buf[8];
    memset(buf, 'x', sizeof buf);
    cr_expect_eq(ksnprintf(buf, 5, "%s", "abcdefgh"), 8);
    cr_expect_str_eq(buf, "abcd");
    cr_expect_eq(buf[5], 'x', "nothing written past the size");
    cr_expect_eq(ksnprintf(buf, 0, "%d", 12345), 5);
    cr_expect_eq(buf[0], 'a', "size 0 writes nothing");
    cr_expect_eq(ksnprintf(buf, 1, "%d", 7), 1);
    cr_expect_str_eq(buf, "");
}

Test(unit_kformat, null_string_and_unknown_conversion)
{
    /* through volatile pointers: the compiler would reject these formats */
    char buf[64];
    const char *volatile null = NULL;
    ksnprintf(buf, sizeof buf, "[%s]", null);
    cr_expect_str_eq(buf, "[(null)]");
    const char *volatile unknown = "a%qb", *volatile trailing = "end%";
    ksnprintf(buf, sizeof buf, unknown, 0);
    cr_expect_str_eq(buf, "a%qb", "an unknown conversion is printed as written");
    ksnprintf(buf, sizeof buf, trailing, 0);
    cr_expect_str_eq(buf, "end%");
}

struct sink {
    char text[64];
    size_t n;
};

static void collect(char c, void *arg)
{
    struct sink *s = arg;
    if (s->n + 1 < sizeof s->text)
        s->text[s->n++] = c;
}

static int format_to(struct sink *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kformat(collect, s, fmt, ap);
    va_end(ap);
    return n;
}

Test(unit_kformat, kformat_calls_the_sink_per_char)
{
    struct sink s = {0};
    cr_expect_eq(format_to(&s, "%s=%d", "x", 10), 4);
    cr_expect_str_eq(s.text, "x=10");
}
