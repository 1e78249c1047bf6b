/* What an image runs before main (see arch.h). In a process, the start
 * block's handles become the four start-up proxies; in the kernel process
 * (START_IN_KERNEL) the block's fields are the objects themselves, and the
 * runtime calls them directly: the same code either way. argv is the
 * kernel's, and main's return value is the exit code. */
#include "arch.h"
#include "proxy.h"
#include <rialto.h>
#include <stdlib.h>

/* Static: the heap itself needs the address space's proxy. */
static struct rt_proxy proxies[4];
static IProcess *process;
static IAddressSpace *space;
static IConsole *console;
static INameService *names;
static com_handle_t extra;
static bool in_kernel;

IAddressSpace *CurrentAddressSpace(void)
{
    return space;
}

IProcess *CurrentProcess(void)
{
    return process;
}

IConsole *CurrentConsole(void)
{
    return console;
}

INameService *NameService(void)
{
    return names;
}

com_handle_t StartHandle(void)
{
    return extra;
}

bool InKernel(void)
{
    return in_kernel;
}

/* The object a start-block field names: itself in the kernel, else a
 * proxy for the handle (NULL for handle 0). */
static void *object_of(com_handle_t h, const IID *iid, struct rt_proxy *proxy)
{
    if (in_kernel || !h)
        return (void *)(uintptr_t)h;
    rt_proxy_init(proxy, h, iid);
    return proxy;
}

void rt_start(const PROCESS_START_INFO *info, int (*main)(int argc, char **argv))
{
    /* A block this runtime does not understand: no console to say so on,
     * so an exception at once, which the kernel reports. */
    if (!info || info->Size < sizeof *info)
        __builtin_trap();
    in_kernel = info->Flags & START_IN_KERNEL;
    process = object_of(info->Process, &IID_IProcess, &proxies[0]);
    space = object_of(info->AddressSpace, &IID_IAddressSpace, &proxies[1]);
    console = object_of(info->Console, &IID_IConsole, &proxies[2]);
    names = object_of(info->NameService, &IID_INameService, &proxies[3]);
    extra = info->Extra;
    exit(main((int)info->Argc, (char **)info->Argv));
}
