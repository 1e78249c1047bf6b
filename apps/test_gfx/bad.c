/* test_gfx's bad input: each kind gets its error code, and nothing is
 * drawn, anywhere (the surface's pixels, read back, are unchanged). */
#include "test_gfx.h"

/* A surface this app made: gfx must refuse it as a blit's source (it
 * reaches gfx as a proxy, never as gfx's own object). */
static SCODE impostor_query(ISurface *This, REFIID riid, void **ppv)
{
    *ppv = This;
    return com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_ISurface) ? S_OK
                                                                                    : E_NOINTERFACE;
}

static SCODE impostor_ok(ISurface *This)
{
    (void)This;
    return S_OK;
}

static SCODE impostor_desc(ISurface *This, SURFACE_DESC *pDesc)
{
    (void)This;
    *pDesc = (SURFACE_DESC){1 << 20, 1 << 20, 4 << 20, PIXEL_XRGB8888}; /* a lie */
    return S_OK;
}

static const struct ISurfaceVtbl impostor_vtbl = {
    impostor_query, impostor_ok, impostor_ok, impostor_desc, 0, 0, 0, 0, 0,
};
static ISurface impostor = {&impostor_vtbl};

static void rects(ISurface *s, const uint32_t *p)
{
    RECT inverted = {10, 10, 5, 20}, huge = {0, 0, 0x7fffffff, 10}, below = {-70000, 0, 5, 5};
    RECT outside = {64, 0, 100, 10}, left = {-50, -50, -1, 10}, empty = {5, 5, 5, 9};
    CHECK_EQ(ISurface_Fill(s, &inverted, 1), GFX_E_BAD_RECT);
    CHECK_EQ(ISurface_Fill(s, &huge, 1), GFX_E_BAD_RECT);
    CHECK_EQ(ISurface_Fill(s, &below, 1), GFX_E_BAD_RECT);
    CHECK_EQ(ISurface_Fill(s, &outside, 1), GFX_E_OUTSIDE);
    CHECK_EQ(ISurface_Fill(s, &left, 1), GFX_E_OUTSIDE);
    CHECK_EQ(ISurface_Fill(s, &empty, 1), GFX_E_OUTSIDE);
    CHECK_EQ(ISurface_Blit(s, s, 0, 64, 0), GFX_E_OUTSIDE);
    CHECK_EQ(ISurface_Blit(s, s, 0, -0x7fffffff, 0), GFX_E_BAD_RECT);
    CHECK_EQ(ISurface_Blit(s, s, &inverted, 0, 0), GFX_E_BAD_RECT);
    CHECK_EQ(ISurface_DrawText(s, 0, 40, "x", 1), GFX_E_OUTSIDE);
    CHECK_EQ(ISurface_DrawText(s, 70000, 0, "x", 1), GFX_E_BAD_RECT);
    CHECK_EQ(ISurface_Present(s, &inverted), GFX_E_BAD_RECT);
    unsigned drawn = 0;
    for (unsigned i = 0; i < 64 * 32; i++)
        drawn += p[i] != 0;
    CHECK_EQ(drawn, 0);
}

static void sizes(void)
{
    ISurface *s = (ISurface *)1;
    CHECK_EQ(IDisplay_CreateSurface(display, 0, 10, PIXEL_XRGB8888, &s), GFX_E_BAD_SIZE);
    CHECK(s == 0, "no surface on failure");
    CHECK_EQ(IDisplay_CreateSurface(display, 10, (uint32_t)-5, PIXEL_XRGB8888, &s), GFX_E_BAD_SIZE);
    CHECK_EQ(IDisplay_CreateSurface(display, 4096, 16, PIXEL_XRGB8888, &s), GFX_E_BAD_SIZE);
    CHECK_EQ(IDisplay_CreateSurface(display, 2048, 2048, PIXEL_XRGB8888, &s), GFX_E_BAD_SIZE);
    CHECK_EQ(IDisplay_CreateSurface(display, 0x10000, 0x10000, PIXEL_XRGB8888, &s),
             GFX_E_BAD_SIZE); /* the product wraps to 0 */
    CHECK_EQ(IDisplay_CreateSurface(display, 8, 8, 2, &s), GFX_E_BAD_FORMAT);
}

/* Views: write access only where it is given. */
static void protection(ISurface *s)
{
    IMemoryObject *m;
    ISurface *screen;
    ADDRESS at = 0;
    ADDR_SIZE n;
    CHECK_EQ(ISurface_GetMemory(s, AS_PROT_WRITE, &m), E_INVALIDARG);
    CHECK_EQ(IDisplay_GetPrimary(display, &screen), S_OK);
    CHECK_EQ(ISurface_GetMemory(screen, RW, &m), GFX_E_READ_ONLY);
    ISurface_Release(screen);
    CHECK_EQ(ISurface_GetMemory(s, AS_PROT_READ, &m), S_OK);
    CHECK_EQ(IAddressSpace_Map(CurrentAddressSpace(), &at, 2 * PG, AS_ANYWHERE | RW, m, 0),
             VM_E_ACCESS_DENIED);
    IMemoryObject_Release(m);
    volatile uint32_t *p = map(s, AS_PROT_READ, &n);
    unsigned before = faults;
    p[3] = 7; /* refused: the handler gives the page a private copy */
    CHECK_EQ(faults, before + 1);
    unmap((uint32_t *)p, n);
}

/* A surface released while mapped: its pages fault, and a surface made
 * after it never shows through the old mapping. A release reaches gfx
 * in a process later (the kernel tells the owner when the last handle
 * goes): until then the pages are still the surface's. */
static void released(void)
{
    ADDR_SIZE n;
    ISurface *s = make(64, 64);
    volatile uint32_t *p = map(s, RW, &n);
    p[0] = 0x55;
    ISurface_Release(s);
    unsigned before = faults;
    for (unsigned i = 0; i < 1000 && faults == before && p[0] == 0x55; i++)
        IProcess_Sleep(CurrentProcess(), 1);
    CHECK_EQ(p[0], 0); /* faulted; the handler's zero page */
    ISurface *t = make(64, 64);
    CHECK_EQ(ISurface_Fill(t, 0, 0xabcdef), S_OK);
    CHECK_EQ(p[1024], 0); /* the next page: faulted too, not t's */
    CHECK_EQ(faults, before + 2);
    unmap((uint32_t *)p, n);
    ISurface_Release(t);
}

void bad_input(void)
{
    ADDR_SIZE n;
    ISurface *s = make(64, 32);
    uint32_t *p = map(s, AS_PROT_READ, &n);
    rects(s, p);
    CHECK_EQ(ServerPool(1, 1000, 0), S_OK); /* to pass the impostor */
    CHECK_EQ(ISurface_Blit(s, &impostor, 0, 0, 0), GFX_E_FOREIGN);
    sizes();
    protection(s);
    released();
    unmap(p, n);
    ISurface_Release(s);
}
