/* The user runtime's console stream (lib/console.c) on the host, over a
 * fake IConsole that records every Write and answers ReadLine from a
 * script. */
#include <IConsole.h>
#include <criterion/criterion.h>
#include <lib/console.h>
#include <string.h>

struct fake_console {
    IConsole itf;
    char out[4096];
    size_t out_len;
    int writes;
    SCODE write_result;
    const char *line; /* what ReadLine answers */
    uint32_t claim;   /* if nonzero, the count it claims instead */
};

static struct fake_console con;

static SCODE fake_write(IConsole *This, const char *Text, uint32_t Length)
{
    (void)This;
    cr_assert_leq(con.out_len + Length, sizeof con.out);
    memcpy(con.out + con.out_len, Text, Length);
    con.out_len += Length;
    con.writes++;
    return con.write_result;
}

static SCODE fake_read_line(IConsole *This, char *Buffer, uint32_t Size, uint32_t *pRead)
{
    (void)This;
    uint32_t n = (uint32_t)strlen(con.line);
    if (n > Size)
        n = Size;
    memcpy(Buffer, con.line, n);
    *pRead = con.claim ? con.claim : n;
    return S_OK;
}

static const struct IConsoleVtbl fake_vtbl = {.Write = fake_write, .ReadLine = fake_read_line};

IConsole *CurrentConsole(void)
{
    return &con.itf;
}

static void setup(void)
{
    con = (struct fake_console){.itf = {&fake_vtbl}};
    rt_console_flush();
    con = (struct fake_console){.itf = {&fake_vtbl}};
}

TestSuite(lib_console, .init = setup);

static void put(const char *s)
{
    while (*s)
        cr_assert_eq(rt_console_putc(*s++), 0);
}

Test(lib_console, output_is_written_a_line_at_a_time)
{
    put("hello ");
    cr_expect_eq(con.writes, 0, "nothing before the newline");
    put("world\nsecond\n");
    cr_expect_eq(con.writes, 2);
    cr_expect_eq(con.out_len, strlen("hello world\nsecond\n"));
    cr_expect_eq(memcmp(con.out, "hello world\nsecond\n", con.out_len), 0);
}

Test(lib_console, a_long_line_is_written_when_the_buffer_fills)
{
    for (int i = 0; i < CONSOLE_LINE; i++)
        rt_console_putc('x');
    cr_expect_eq(con.writes, 1);
    cr_expect_eq(con.out_len, CONSOLE_LINE);
    rt_console_putc('y');
    cr_expect_eq(rt_console_flush(), 0);
    cr_expect_eq(con.writes, 2);
    cr_expect_eq(con.out[CONSOLE_LINE], 'y');
    cr_expect_eq(rt_console_flush(), 0, "nothing left: no call");
    cr_expect_eq(con.writes, 2);
}

Test(lib_console, a_refused_write_is_reported)
{
    con.write_result = E_FAIL;
    put("a");
    cr_expect_eq(rt_console_putc('\n'), -1);
}

Test(lib_console, reading_a_line_flushes_a_prompt_first)
{
    put("name? ");
    con.line = "rialto";
    char buf[32];
    cr_expect_eq(rt_console_readline(buf, sizeof buf), 6);
    cr_expect_str_eq(buf, "rialto");
    cr_expect_eq(con.out_len, 6, "the prompt was written before the read");
}

Test(lib_console, a_line_is_cut_to_the_buffer_and_terminated)
{
    con.line = "0123456789";
    char buf[5];
    cr_expect_eq(rt_console_readline(buf, sizeof buf), 4);
    cr_expect_str_eq(buf, "0123");
    cr_expect_eq(rt_console_readline(buf, 0), -1);
}

Test(lib_console, a_count_larger_than_the_buffer_is_refused)
{
    con.line = "abc";
    con.claim = 100;
    char buf[8];
    cr_expect_eq(rt_console_readline(buf, sizeof buf), -1);
    cr_expect_str_eq(buf, "", "nothing half-read is returned");
}
