/* The registered kernel interfaces (see <kernel/ipc/iface.h>). Every one
 * listed here can be called from a process; the list is the kernel's
 * whole surface. */
#include <IAddressSpace.h>
#include <IConsole.h>
#include <IMemoryObject.h>
#include <INameService.h>
#include <IProcess.h>
#include <ISystem.h>
#include <ITestObject.h>
#include <IThread.h>
#include <kernel/ipc/iface.h>

static const struct kiface registered[] = {
    {&IUnknown_Signature, IUnknown_Dispatch, &IUnknown_ProxyVtbl},
    {&IAddressSpace_Signature, IAddressSpace_Dispatch, &IAddressSpace_ProxyVtbl},
    {&IMemoryObject_Signature, IMemoryObject_Dispatch, &IMemoryObject_ProxyVtbl},
    {&IProcess_Signature, IProcess_Dispatch, &IProcess_ProxyVtbl},
    {&IThread_Signature, IThread_Dispatch, &IThread_ProxyVtbl},
    {&IConsole_Signature, IConsole_Dispatch, &IConsole_ProxyVtbl},
    {&INameService_Signature, INameService_Dispatch, &INameService_ProxyVtbl},
    {&ISystem_Signature, ISystem_Dispatch, &ISystem_ProxyVtbl},
    {&ITestObject_Signature, ITestObject_Dispatch, &ITestObject_ProxyVtbl},
};

const struct kiface *kiface_find(const IID *iid)
{
    for (unsigned i = 0; i < sizeof registered / sizeof registered[0]; i++)
        if (com_iid_equal(registered[i].sig->iid, iid))
            return &registered[i];
    return 0;
}

const struct kiface *kiface_by_proxy(const void *vtbl)
{
    for (unsigned i = 0; i < sizeof registered / sizeof registered[0]; i++)
        if (registered[i].proxy_vtbl == vtbl)
            return &registered[i];
    return 0;
}
