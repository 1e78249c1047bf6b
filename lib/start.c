/* What a process runs before main (see arch.h): the start block's handles
 * become the four start-up proxies, argv is the kernel's, and main's
 * return value is the exit code. */
#include "arch.h"
#include "proxy.h"
#include <rialto.h>
#include <stdlib.h>

/* Static: the heap itself needs the address space's proxy. */
static struct rt_proxy process, space, console, names;
static com_handle_t extra;

IAddressSpace *CurrentAddressSpace(void)
{
    return space.com.handle ? (IAddressSpace *)(void *)&space : NULL;
}

IProcess *CurrentProcess(void)
{
    return process.com.handle ? (IProcess *)(void *)&process : NULL;
}

IConsole *CurrentConsole(void)
{
    return console.com.handle ? (IConsole *)(void *)&console : NULL;
}

INameService *NameService(void)
{
    return names.com.handle ? (INameService *)(void *)&names : NULL;
}

com_handle_t StartHandle(void)
{
    return extra;
}

void rt_start(const PROCESS_START_INFO *info, int (*main)(int argc, char **argv))
{
    /* A block this runtime does not understand: no console to say so on,
     * so an exception at once, which the kernel reports. */
    if (!info || info->Size < sizeof *info)
        __builtin_trap();
    rt_proxy_init(&process, info->Process, &IID_IProcess);
    rt_proxy_init(&space, info->AddressSpace, &IID_IAddressSpace);
    rt_proxy_init(&console, info->Console, &IID_IConsole);
    rt_proxy_init(&names, info->NameService, &IID_INameService);
    extra = info->Extra;
    exit(main((int)info->Argc, (char **)info->Argv));
}
