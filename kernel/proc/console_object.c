/* The console object (see <kernel/proc/console_object.h>). Text goes out
 * through kprintf's path, a byte at a time, so a process's output and the
 * kernel's interleave by lines as the serial console shows them. */
#include <IConsole.h>
#include <kernel/console.h>
#include <kernel/kprintf.h>
#include <kernel/proc/console_object.h>

static SCODE c_query(IConsole *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_IConsole))
        return E_NOINTERFACE;
    *ppv = This;
    return S_OK;
}

static SCODE c_addref(IConsole *This)
{
    (void)This;
    return S_OK;
}

static SCODE c_write(IConsole *This, const char *Text, uint32_t Length)
{
    (void)This;
    for (uint32_t i = 0; i < Length; i++)
        kprintf("%c", Text[i]);
    return S_OK;
}

static SCODE c_read_line(IConsole *This, char *Buffer, uint32_t Size, uint32_t *pRead)
{
    (void)This;
    *pRead = Size ? (uint32_t)console_read_line(Buffer, Size) : 0;
    return S_OK;
}

static const struct IConsoleVtbl vtbl = {c_query, c_addref, c_addref, c_write, c_read_line};
static IConsole console = {&vtbl};

IUnknown *console_object(void)
{
    return (IUnknown *)&console;
}
