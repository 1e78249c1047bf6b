/* The graphics service (issue 17): the framebuffer of the display
 * driver's "display0" (idl/IFrameBuffer.idl), mapped into this space,
 * shown through surfaces (gfx_surface.c) and registered as "gfx"
 * (IDisplay). The same binary runs in the kernel or in a process
 * (component): the framebuffer's memory object maps into either. With
 * no display0 it says so and returns 0. argv[1] may name the mode,
 * WIDTHxHEIGHT (gfx.arg=1024x768 on the kernel command line). */
#include "gfx.h"

#include <stdio.h>
#include <stdlib.h>

static struct rt_lock lock;

void gfx_lock(void)
{
    rt_lock(&lock);
}

void gfx_unlock(void)
{
    rt_unlock(&lock);
}

static void parse_mode(const char *arg, uint32_t *w, uint32_t *h)
{
    char *end;
    unsigned long x = strtoul(arg, &end, 10);
    if (*end == 'x') {
        *w = (uint32_t)x;
        *h = (uint32_t)strtoul(end + 1, 0, 10);
    }
}

/* The mode set, the framebuffer mapped here, the primary made. */
static SCODE start(IFrameBuffer *fb, const char *arg)
{
    uint32_t w = 640, h = 480;
    FB_MODE mode;
    IMemoryObject *mem;
    ADDRESS addr = 0;
    if (arg)
        parse_mode(arg, &w, &h);
    SCODE sc = IFrameBuffer_SetMode(fb, w, h);
    if (SUCCEEDED(sc))
        sc = IFrameBuffer_GetMode(fb, &mode);
    if (SUCCEEDED(sc))
        sc = IFrameBuffer_GetMemory(fb, &mem);
    if (FAILED(sc))
        return sc;
    sc = IAddressSpace_Map(CurrentAddressSpace(), &addr, FB_MEMORY_SIZE,
                           AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE, mem, 0);
    IMemoryObject_Release(mem);
    return SUCCEEDED(sc) ? gfx_primary_init(addr, &mode) : sc;
}

int main(int argc, char **argv)
{
    IFrameBuffer *fb;
    SCODE sc = INameService_Lookup(NameService(), "display0", &IID_IFrameBuffer, (void **)&fb);
    if (sc == NAME_E_NOT_FOUND) {
        printf("gfx: no display0, no graphics\n");
        return 0;
    }
    if (SUCCEEDED(sc))
        sc = ServerPool(4, 1000, 0);
    if (SUCCEEDED(sc))
        sc = start(fb, argc > 1 ? argv[1] : 0);
    if (SUCCEEDED(sc))
        sc = INameService_Register(NameService(), "gfx", (IUnknown *)gfx_display());
    if (FAILED(sc)) {
        printf("gfx: cannot serve display0 (%#x)\n", (unsigned)sc);
        return 1;
    }
    RunService();
}
