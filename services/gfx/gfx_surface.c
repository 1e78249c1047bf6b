/* ISurface objects (idl/ISurface.idl). A surface's pixels are pages of
 * this service's space (the kernel's in the kernel placement), handed
 * to clients as views they Map, so an app draws on them directly.
 *
 * A surface's pages go at its last Release, but its address range stays
 * reserved for good: a client may still map it (a mapping follows its
 * source and holds no reference), and were the range reused, that stale
 * mapping would reach another surface's pixels. Decommitted, it faults
 * instead. So surfaces take their ranges one after the other from an
 * arena reserved once (a new one when it is used up), never twice; a
 * decommitted range merges with the reserved ones around it, so the
 * space's tree does not grow with released surfaces. The price is
 * address space, never pages. */
#include "gfx.h"

#include <stdlib.h>
#include <string.h>

#define RW         (AS_PROT_READ | AS_PROT_WRITE)
#define ARENA_SIZE (256u << 20)

static ADDRESS arena_next, arena_end; /* under gfx_lock */

static const struct ISurfaceVtbl vtbl;
struct surface gfx_primary = {.object = {&vtbl}, .primary = true};

static struct surface *of(ISurface *s)
{
    return (struct surface *)s;
}

/* Only this service's surfaces have this vtbl: a proxy (another
 * process's object) or a local impostor does not. */
static bool ours(ISurface *s)
{
    return s && s->lpVtbl == &vtbl;
}

static SCODE surface_query(ISurface *This, REFIID riid, void **ppv)
{
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_ISurface)) {
        ISurface_AddRef(This);
        *ppv = This;
        return S_OK;
    }
    *ppv = 0;
    return E_NOINTERFACE;
}

static SCODE surface_addref(ISurface *This)
{
    gfx_lock();
    of(This)->refs++;
    gfx_unlock();
    return S_OK;
}

static void destroy(struct surface *s)
{
    IMemoryObject_Release(s->rw);
    IMemoryObject_Release(s->ro);
    IAddressSpace_Decommit(CurrentAddressSpace(), s->addr, s->bytes); /* stays reserved */
    free(s);
}

static SCODE surface_release(ISurface *This)
{
    struct surface *s = of(This);
    if (s->primary)
        return S_OK;
    gfx_lock();
    bool last = --s->refs == 0;
    gfx_unlock();
    if (last)
        destroy(s);
    return S_OK;
}

static SCODE surface_get_desc(ISurface *This, SURFACE_DESC *pDesc)
{
    struct surface *s = of(This);
    *pDesc = (SURFACE_DESC){s->bm.width, s->bm.height, s->bm.stride * 4, PIXEL_XRGB8888};
    return S_OK;
}

static SCODE surface_get_memory(ISurface *This, ADDR_FLAGS Prot, IMemoryObject **ppMem)
{
    struct surface *s = of(This);
    *ppMem = 0;
    if (Prot != AS_PROT_READ && Prot != RW)
        return E_INVALIDARG;
    IMemoryObject *m = Prot == AS_PROT_READ ? s->ro : s->rw;
    if (!m)
        return GFX_E_READ_ONLY;
    IMemoryObject_AddRef(m);
    *ppMem = m;
    return S_OK;
}

static SCODE surface_fill(ISurface *This, const RECT *pRect, uint32_t Colour)
{
    gfx_lock();
    SCODE sc = gfx_fill(&of(This)->bm, pRect, Colour);
    gfx_unlock();
    return sc;
}

static SCODE surface_blit(ISurface *This, ISurface *pSource, const RECT *pFrom, int32_t X,
                          int32_t Y)
{
    if (!ours(pSource))
        return GFX_E_FOREIGN;
    gfx_lock();
    SCODE sc = gfx_blit(&of(This)->bm, &of(pSource)->bm, pFrom, X, Y);
    gfx_unlock();
    return sc;
}

static SCODE surface_draw_text(ISurface *This, int32_t X, int32_t Y, const char *Text,
                               uint32_t Colour)
{
    gfx_lock();
    SCODE sc = gfx_text(&of(This)->bm, X, Y, Text, Colour);
    gfx_unlock();
    return sc;
}

/* A blit to the primary, to the same place. */
static SCODE surface_present(ISurface *This, const RECT *pRect)
{
    struct surface *s = of(This);
    if (s->primary)
        return S_OK;
    gfx_lock();
    SCODE sc =
        gfx_blit(&gfx_primary.bm, &s->bm, pRect, pRect ? pRect->Left : 0, pRect ? pRect->Top : 0);
    gfx_unlock();
    return sc;
}

static const struct ISurfaceVtbl vtbl = {
    surface_query, surface_addref, surface_release,   surface_get_desc, surface_get_memory,
    surface_fill,  surface_blit,   surface_draw_text, surface_present,
};

SCODE gfx_view(ADDRESS addr, ADDR_SIZE bytes, ADDR_FLAGS prot, IMemoryObject **out)
{
    IMemoryObject *whole;
    SCODE sc =
        IAddressSpace_QueryInterface(CurrentAddressSpace(), &IID_IMemoryObject, (void **)&whole);
    if (FAILED(sc))
        return sc;
    sc = IMemoryObject_RestrictedAccess(whole, addr, bytes, prot, out);
    IMemoryObject_Release(whole);
    return sc;
}

static ADDR_SIZE page_round(ADDR_SIZE n)
{
    ADDR_SIZE page, map;
    IAddressSpace_ReservationInformation(CurrentAddressSpace(), &page, &map);
    return (n + map - 1) / map * map;
}

SCODE gfx_primary_init(ADDRESS addr, const FB_MODE *mode)
{
    struct surface *s = &gfx_primary;
    s->bm = (struct gfx_bitmap){(uint32_t *)(uintptr_t)addr, mode->Width, mode->Height,
                                mode->Pitch / 4};
    s->addr = addr;
    s->bytes = page_round((ADDR_SIZE)mode->Pitch * mode->Height);
    return gfx_view(addr, s->bytes, AS_PROT_READ, &s->ro);
}

/* A range of the arena no surface had before. */
static SCODE take_range(ADDR_SIZE bytes, ADDRESS *at)
{
    SCODE sc = S_OK;
    gfx_lock();
    if (arena_end - arena_next < bytes) {
        ADDRESS a = 0;
        sc = IAddressSpace_Reserve(CurrentAddressSpace(), &a, ARENA_SIZE, AS_ANYWHERE);
        if (SUCCEEDED(sc))
            arena_next = a, arena_end = a + ARENA_SIZE;
    }
    if (SUCCEEDED(sc))
        *at = arena_next, arena_next += bytes;
    gfx_unlock();
    return sc;
}

/* Pages for the pixels, cleared (a page may hold what this space freed
 * before), and their two views. */
static SCODE make_pixels(struct surface *s)
{
    SCODE sc = take_range(s->bytes, &s->addr);
    if (SUCCEEDED(sc))
        sc = IAddressSpace_Commit(CurrentAddressSpace(), s->addr, s->bytes, RW);
    if (FAILED(sc))
        return sc;
    memset((void *)(uintptr_t)s->addr, 0, s->bytes);
    sc = gfx_view(s->addr, s->bytes, RW, &s->rw);
    if (SUCCEEDED(sc))
        sc = gfx_view(s->addr, s->bytes, AS_PROT_READ, &s->ro);
    if (FAILED(sc)) {
        if (s->rw)
            IMemoryObject_Release(s->rw);
        IAddressSpace_Decommit(CurrentAddressSpace(), s->addr, s->bytes);
    }
    return sc;
}

SCODE gfx_surface_create(uint32_t width, uint32_t height, struct surface **out)
{
    struct surface *s = calloc(1, sizeof *s);
    if (!s)
        return E_OUTOFMEMORY;
    *s = (struct surface){.object = {&vtbl}, .refs = 1};
    s->bm = (struct gfx_bitmap){0, width, height, width};
    s->bytes = page_round((ADDR_SIZE)width * height * 4);
    SCODE sc = make_pixels(s);
    if (FAILED(sc)) {
        free(s);
        return sc;
    }
    s->bm.pixels = (uint32_t *)(uintptr_t)s->addr;
    *out = s;
    return S_OK;
}
