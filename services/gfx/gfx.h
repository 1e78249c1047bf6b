/* The graphics service's parts for each other (services/gfx). */
#ifndef SERVICES_GFX_H
#define SERVICES_GFX_H

#include <IFrameBuffer.h>
#include <ISurface.h>
#include <rialto.h>
#include <stdbool.h>

#include "gfx_draw.h"

/* A surface: its pixels are pages of this service's space, handed out
 * as views (rw, ro). The primary's pixels are the framebuffer. */
struct surface {
    ISurface object; /* first: the object is the surface */
    uint32_t refs;   /* under gfx_lock; the primary's are not counted */
    bool primary;
    struct gfx_bitmap bm;
    ADDRESS addr; /* the pixels, bytes of this space */
    ADDR_SIZE bytes;
    IMemoryObject *rw, *ro; /* views of them (rw NULL for the primary) */
};

/* gfx.c: the one lock every drawing call holds (surfaces are drawn from
 * any of the callers' threads). */
void gfx_lock(void);
void gfx_unlock(void);

/* gfx_surface.c */
extern struct surface gfx_primary;
SCODE gfx_surface_create(uint32_t width, uint32_t height, struct surface **out);
/* The primary over the framebuffer mapped at addr. */
SCODE gfx_primary_init(ADDRESS addr, const FB_MODE *mode);
/* A view of [addr, addr + bytes) of this space allowing prot. */
SCODE gfx_view(ADDRESS addr, ADDR_SIZE bytes, ADDR_FLAGS prot, IMemoryObject **out);

/* gfx_display.c: the IDisplay object registered as "gfx". */
IDisplay *gfx_display(void);

#endif
