/* IFrameBuffer (idl/IFrameBuffer.idl) over the bochs-display. The object
 * is static, like the device: references are not counted. */
#include "bochs.h"

static SCODE fb_query(IFrameBuffer *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_IFrameBuffer)) {
        *ppv = 0;
        return E_NOINTERFACE;
    }
    *ppv = This;
    return S_OK;
}

static SCODE fb_addref(IFrameBuffer *This)
{
    (void)This;
    return S_OK;
}

static SCODE fb_get_mode(IFrameBuffer *This, FB_MODE *pMode)
{
    struct bochs *b = (struct bochs *)This;
    mutex_lock(&b->lock);
    *pMode = b->mode;
    mutex_unlock(&b->lock);
    return S_OK;
}

static SCODE fb_set_mode(IFrameBuffer *This, uint32_t Width, uint32_t Height)
{
    return bochs_set_mode((struct bochs *)This, Width, Height);
}

static SCODE fb_get_memory(IFrameBuffer *This, IMemoryObject **ppMem)
{
    struct bochs *b = (struct bochs *)This;
    IMemoryObject_AddRef(b->view);
    *ppMem = b->view;
    return S_OK;
}

static const struct IFrameBufferVtbl vtbl = {fb_query,    fb_addref,   fb_addref,
                                             fb_get_mode, fb_set_mode, fb_get_memory};

void bochs_object_init(struct bochs *b)
{
    b->object.lpVtbl = &vtbl;
}
