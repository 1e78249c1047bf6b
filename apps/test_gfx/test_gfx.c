/* test_gfx: the graphics service's app test (services/gfx). The same
 * program, the same calls, whichever placement gfx has: it finds "gfx"
 * by name. Modes (argv[1]):
 *   all        surfaces drawn by calls and through their mapped pixels,
 *              checked through the mappings; Present checked through the
 *              screen's read-only view; every bad input (bad.c)
 *   scene      draws test/gfx/screen.c's picture and presents it
 *   bench WHAT N  N fills, blits or presents of 640x480 (none: nothing)
 * Exit status: the failed checks (0: pass). */
#include "test_gfx.h"

#include <stdlib.h>
#include <string.h>

IDisplay *display;
volatile unsigned faults;

/* An access violation: count it, and put a zeroed page of our own where
 * it happened so the access goes on. */
static int on_fault(const EXCEPTION_RECORD *r)
{
    if (r->Code != 0xC0000005u)
        return EXCEPTION_CONTINUE_SEARCH;
    faults++;
    ADDRESS page = r->Address & ~(ADDRESS)(PG - 1);
    IAddressSpace *me = CurrentAddressSpace();
    if (IAddressSpace_Deallocate(me, page, PG) ||
        IAddressSpace_Allocate(me, &page, PG, RW | AS_COMMIT_ALLOC_ZERO))
        return EXCEPTION_CONTINUE_SEARCH;
    return EXCEPTION_CONTINUE_EXECUTION;
}

ISurface *make(uint32_t w, uint32_t h)
{
    ISurface *s = 0;
    CHECK_EQ(IDisplay_CreateSurface(display, w, h, PIXEL_XRGB8888, &s), S_OK);
    return s;
}

uint32_t *map(ISurface *s, ADDR_FLAGS prot, ADDR_SIZE *bytes)
{
    SURFACE_DESC d;
    IMemoryObject *m;
    ADDRESS at = 0;
    CHECK_EQ(ISurface_GetDesc(s, &d), S_OK);
    *bytes = ((ADDR_SIZE)d.Pitch * d.Height + PG - 1) / PG * PG;
    if (FAILED(ISurface_GetMemory(s, prot, &m)))
        return 0;
    CHECK_EQ(IAddressSpace_Map(CurrentAddressSpace(), &at, *bytes, AS_ANYWHERE | prot, m, 0), S_OK);
    IMemoryObject_Release(m);
    return (uint32_t *)at;
}

void unmap(uint32_t *p, ADDR_SIZE bytes)
{
    CHECK_EQ(IAddressSpace_Deallocate(CurrentAddressSpace(), (ADDRESS)p, bytes), S_OK);
}

/* How many pixels of [x0, x1) x [y0, y1) of p (w wide) are c. */
static unsigned count(const uint32_t *p, uint32_t w, int x0, int y0, int x1, int y1, uint32_t c)
{
    unsigned n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            n += p[y * w + x] == c;
    return n;
}

/* Fill by call, seen through the mapping; a write through the mapping,
 * seen by Blit in another surface; clipping on both. */
static void fill_and_blit(void)
{
    ISurface *a = make(64, 32), *b = make(64, 32);
    ADDR_SIZE na, nb;
    uint32_t *pa = map(a, RW, &na), *pb = map(b, AS_PROT_READ, &nb);
    CHECK(pa && pb, "mapped");
    CHECK_EQ(count(pa, 64, 0, 0, 64, 32, 0), 64 * 32); /* a new surface is black */
    RECT r = {60, 30, 70, 40};                         /* partly outside */
    CHECK_EQ(ISurface_Fill(a, &r, 0xff0000), S_OK);
    CHECK_EQ(count(pa, 64, 60, 30, 64, 32, 0xff0000), 8);
    CHECK_EQ(count(pa, 64, 0, 0, 64, 32, 0xff0000), 8); /* nothing else */
    pa[5 * 64 + 6] = 0x123456;                          /* drawn directly */
    RECT from = {4, 4, 8, 8};
    CHECK_EQ(ISurface_Blit(b, a, &from, -2, 30), S_OK); /* clipped left and below */
    CHECK_EQ(pb[31 * 64 + 0], 0x123456);
    CHECK_EQ(count(pb, 64, 0, 0, 64, 32, 0x123456), 1);
    CHECK_EQ(ISurface_Blit(a, a, 0, 1, 0), S_OK); /* onto itself, shifted */
    CHECK_EQ(pa[5 * 64 + 7], 0x123456);
    CHECK_EQ(pa[5 * 64 + 6], 0); /* what was at 5 */
    CHECK_EQ(ISurface_DrawText(b, 0, 0, "Hi", 0x00ff00), S_OK);
    unsigned lit = count(pb, 64, 0, 0, 16, 8, 0x00ff00);
    CHECK(lit > 10 && lit < 64, "text pixels: %u", lit);
    CHECK_EQ(count(pb, 64, 0, 8, 64, 32, 0x00ff00), 0); /* within the cells */
    unmap(pa, na);
    unmap(pb, nb);
    ISurface_Release(a);
    ISurface_Release(b);
}

/* Present, checked through the screen's read-only view. */
static void present(void)
{
    SURFACE_DESC mode;
    ISurface *screen, *s = make(640, 480);
    ADDR_SIZE n;
    CHECK_EQ(IDisplay_GetMode(display, &mode), S_OK);
    CHECK(mode.Width == 640 && mode.Height == 480 && mode.Pitch == 2560, "mode");
    CHECK_EQ(IDisplay_GetPrimary(display, &screen), S_OK);
    uint32_t *fb = map(screen, AS_PROT_READ, &n);
    CHECK_EQ(ISurface_Fill(s, 0, 0x0000ff), S_OK);
    RECT part = {100, 50, 300, 60};
    CHECK_EQ(ISurface_Fill(s, &part, 0xffffff), S_OK);
    CHECK_EQ(ISurface_Present(s, 0), S_OK);
    CHECK_EQ(count(fb, 640, 0, 0, 640, 480, 0x0000ff), 640 * 480 - 200 * 10);
    CHECK_EQ(count(fb, 640, 100, 50, 300, 60, 0xffffff), 200 * 10);
    CHECK_EQ(ISurface_Fill(screen, &part, 0x00ff00), S_OK); /* drawn on the screen itself */
    CHECK_EQ(count(fb, 640, 100, 50, 300, 60, 0x00ff00), 200 * 10);
    RECT corner = {630, 470, 700, 500}; /* part of s, to the same place, clipped */
    CHECK_EQ(ISurface_Fill(s, 0, 0xff00ff), S_OK);
    CHECK_EQ(ISurface_Present(s, &corner), S_OK);
    CHECK_EQ(count(fb, 640, 0, 0, 640, 480, 0xff00ff), 10 * 10);
    CHECK_EQ(count(fb, 640, 630, 470, 640, 480, 0xff00ff), 10 * 10);
    unmap(fb, n);
    ISurface_Release(screen);
    ISurface_Release(s);
}

static int all(void)
{
    fill_and_blit();
    present();
    bad_input();
    return utest_failures;
}

int main(int argc, char **argv)
{
    if (SetExceptionHandler(on_fault))
        return 90;
    SCODE sc = INameService_Lookup(NameService(), "gfx", &IID_IDisplay, (void **)&display);
    if (FAILED(sc)) {
        printf("test_gfx: no gfx (%#x)\n", (unsigned)sc);
        return 91;
    }
    int r = 92;
    if (argc > 1 && !strcmp(argv[1], "all"))
        r = all();
    else if (argc > 1 && !strcmp(argv[1], "scene"))
        r = scene();
    else if (argc > 3 && !strcmp(argv[1], "bench"))
        r = bench(argv[2], (unsigned)strtoul(argv[3], 0, 10));
    IDisplay_Release(display);
    if (r == 0)
        printf("test_gfx: %s passed\n", argc > 1 ? argv[1] : "");
    return r;
}
