/* The IStressPeer each instance serves (idl/IStressPeer.idl). Server
 * threads call it at once: its count is atomic and nothing else in it
 * changes. */
#include "stress.h"
#include <rialto.h>
#include <stdlib.h>

struct peer {
    IStressPeer itf;
    uint32_t refs, salt;
};

static struct peer *of(IStressPeer *This)
{
    return (struct peer *)This;
}

void stress_transform(uint32_t tag, uint32_t salt, const BYTE *in, BYTE *out, uint32_t size)
{
    for (uint32_t i = 0; i < size; i++)
        out[i] = (BYTE)(~in[size - 1 - i] ^ (tag + i + 31 * salt));
}

static SCODE p_query(IStressPeer *This, REFIID riid, void **ppv)
{
    *ppv = NULL;
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_IStressPeer))
        return E_NOINTERFACE;
    IStressPeer_AddRef(This);
    *ppv = This;
    return S_OK;
}

static SCODE p_addref(IStressPeer *This)
{
    return (SCODE)__atomic_add_fetch(&of(This)->refs, 1, __ATOMIC_RELAXED);
}

static SCODE p_release(IStressPeer *This)
{
    uint32_t n = __atomic_sub_fetch(&of(This)->refs, 1, __ATOMIC_ACQ_REL);
    if (n == 0)
        free(This);
    return (SCODE)n;
}

static SCODE p_transform(IStressPeer *This, uint32_t Tag, const BYTE *In, BYTE *Out, uint32_t Size,
                         uint32_t *pSalt)
{
    stress_transform(Tag, of(This)->salt, In, Out, Size);
    *pSalt = of(This)->salt;
    /* now and then a call that lasts past a tick, so that kills (which
     * come at ticks) find server threads in the middle of calls */
    if (Tag % 8 == 0)
        IProcess_Sleep(CurrentProcess(), 1);
    return S_OK;
}

static SCODE p_relay(IStressPeer *This, IStressPeer *pNext, uint32_t Tag, const BYTE *In, BYTE *Out,
                     uint32_t Size, uint32_t *pSalt)
{
    (void)This;
    if (!pNext)
        return E_POINTER;
    return IStressPeer_Transform(pNext, Tag, In, Out, Size, pSalt);
}

static SCODE p_child(IStressPeer *This, IStressPeer **ppChild)
{
    *ppChild = peer_new(of(This)->salt + 0x100);
    return *ppChild ? S_OK : E_OUTOFMEMORY;
}

static const struct IStressPeerVtbl vtbl = {p_query,     p_addref, p_release,
                                            p_transform, p_relay,  p_child};

IStressPeer *peer_new(uint32_t salt)
{
    struct peer *p = malloc(sizeof *p);
    if (!p)
        return NULL;
    *p = (struct peer){{&vtbl}, 1, salt};
    return &p->itf;
}
