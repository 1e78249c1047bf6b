/* The console stream (see console.h). One line buffer: a write per line
 * keeps kernel calls few and lines from different processes whole. */
#include "console.h"
#include <rialto.h>

static char line[CONSOLE_LINE];
static size_t used;

int rt_console_flush(void)
{
    if (used == 0)
        return 0;
    IConsole *c = CurrentConsole();
    SCODE sc = c ? IConsole_Write(c, line, (uint32_t)used) : E_HANDLE;
    used = 0; /* a refused line is dropped: retrying would repeat the failure */
    return SUCCEEDED(sc) ? 0 : -1;
}

int rt_console_putc(char c)
{
    line[used++] = c;
    if (c == '\n' || used == sizeof line)
        return rt_console_flush();
    return 0;
}

long rt_console_readline(char *buf, size_t size)
{
    if (!buf || size == 0)
        return -1;
    buf[0] = '\0';
    rt_console_flush();
    IConsole *c = CurrentConsole();
    uint32_t room = size - 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(size - 1);
    uint32_t got = 0;
    if (!c || FAILED(IConsole_ReadLine(c, buf, room, &got)) || got > room) {
        buf[0] = '\0'; /* got > room: trust no count the other side gives */
        return -1;
    }
    buf[got] = '\0';
    return (long)got;
}
