/* The registered kernel interfaces (see <kernel/ipc/iface.h>): every
 * interface of idl/ (configure's list, build/gen/idl/interfaces.h). Each
 * can be called from a process on an object that implements it; the
 * objects a process can reach are the kernel's whole surface. */
#include <interfaces.h>
#include <kernel/ipc/iface.h>

#define ENTRY(I) {&I##_Signature, I##_Dispatch, &I##_ProxyVtbl},
static const struct kiface registered[] = {COM_EACH_INTERFACE(ENTRY)};

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
