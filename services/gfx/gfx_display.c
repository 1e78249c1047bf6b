/* The IDisplay object (idl/ISurface.idl) registered as "gfx": one for
 * the life of the service, references not counted. */
#include "gfx.h"

static SCODE display_query(IDisplay *This, REFIID riid, void **ppv)
{
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_IDisplay)) {
        *ppv = This;
        return S_OK;
    }
    *ppv = 0;
    return E_NOINTERFACE;
}

static SCODE display_addref(IDisplay *This)
{
    (void)This;
    return S_OK;
}

static SCODE display_get_mode(IDisplay *This, SURFACE_DESC *pDesc)
{
    (void)This;
    return ISurface_GetDesc(&gfx_primary.object, pDesc);
}

static SCODE display_get_primary(IDisplay *This, ISurface **ppSurface)
{
    (void)This;
    *ppSurface = &gfx_primary.object;
    return S_OK;
}

static SCODE display_create(IDisplay *This, uint32_t Width, uint32_t Height, uint32_t Format,
                            ISurface **ppSurface)
{
    (void)This;
    struct surface *s;
    *ppSurface = 0;
    if (Format != PIXEL_XRGB8888)
        return GFX_E_BAD_FORMAT;
    if (!Width || !Height || Width > GFX_MAX_SIDE || Height > GFX_MAX_SIDE ||
        Width * Height > GFX_MAX_PIXELS)
        return GFX_E_BAD_SIZE;
    SCODE sc = gfx_surface_create(Width, Height, &s);
    if (SUCCEEDED(sc))
        *ppSurface = &s->object;
    return sc;
}

static const struct IDisplayVtbl vtbl = {display_query,    display_addref,      display_addref,
                                         display_get_mode, display_get_primary, display_create};
static IDisplay display = {&vtbl};

IDisplay *gfx_display(void)
{
    return &display;
}
