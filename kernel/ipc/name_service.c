/* The INameService object (see <kernel/ipc/names.h>): the table's
 * functions with the calling process as owner (NULL from a kernel
 * thread). One static object, never freed, like the console. */
#include <kernel/ipc/names.h>
#include <kernel/proc/process.h>
#include <kernel/string.h>

static SCODE n_query(INameService *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_INameService))
        return E_NOINTERFACE;
    *ppv = This;
    return S_OK;
}

static SCODE n_ref(INameService *This)
{
    (void)This;
    return S_OK;
}

static SCODE n_register(INameService *This, const char *Name, IUnknown *pObject)
{
    (void)This;
    return names_register(Name, pObject, process_current());
}

static SCODE n_lookup(INameService *This, const char *Name, REFIID riid, void **ppv)
{
    (void)This;
    return names_lookup(Name, riid, ppv);
}

static SCODE n_unregister(INameService *This, const char *Name)
{
    (void)This;
    return names_unregister(Name, process_current());
}

static SCODE n_enumerate(INameService *This, uint32_t Index, char *Name, uint32_t Size,
                         uint32_t *pLength)
{
    (void)This;
    char name[NAME_MAX_LENGTH + 1];
    SCODE sc = names_at(Index, name);
    uint32_t n = (uint32_t)strlen(name);
    *pLength = n < Size ? n : Size;
    memcpy(Name, name, *pLength);
    return sc;
}

static const struct INameServiceVtbl vtbl = {n_query,  n_ref,        n_ref,      n_register,
                                             n_lookup, n_unregister, n_enumerate};
static INameService service = {&vtbl};

IUnknown *name_service_object(void)
{
    return (IUnknown *)&service;
}
