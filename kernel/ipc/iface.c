/* The registered kernel interfaces (see <kernel/ipc/iface.h>). Every one
 * listed here can be called from a process; the list is the kernel's
 * whole surface. */
#include <IAddressSpace.h>
#include <IConsole.h>
#include <IMemoryObject.h>
#include <INameService.h>
#include <IProcess.h>
#include <ITestObject.h>
#include <IThread.h>
#include <kernel/ipc/iface.h>

static const struct kiface registered[] = {
    {&IUnknown_Signature, IUnknown_Dispatch},
    {&IAddressSpace_Signature, IAddressSpace_Dispatch},
    {&IMemoryObject_Signature, IMemoryObject_Dispatch},
    {&IProcess_Signature, IProcess_Dispatch},
    {&IThread_Signature, IThread_Dispatch},
    {&IConsole_Signature, IConsole_Dispatch},
    {&INameService_Signature, INameService_Dispatch},
    {&ITestObject_Signature, ITestObject_Dispatch},
};

const struct kiface *kiface_find(const IID *iid)
{
    for (unsigned i = 0; i < sizeof registered / sizeof registered[0]; i++)
        if (com_iid_equal(registered[i].sig->iid, iid))
            return &registered[i];
    return 0;
}
