/* The drawing of services/gfx as pure C over a bitmap in memory
 * (gfx_draw.c, gfx_font.c): rectangles checked and clipped, fills,
 * blits, text. No runtime, no locks: the service calls it under its
 * lock, and the host tests (test/gfx) call it directly. */
#ifndef SERVICES_GFX_DRAW_H
#define SERVICES_GFX_DRAW_H

#include <ISurface.h>
#include <stdint.h>

/* Pixels of 32 bits, row after row, stride pixels apart. */
struct gfx_bitmap {
    uint32_t *pixels;
    uint32_t width, height;
    uint32_t stride; /* pixels from one row to the next, at least width */
};

/* A clipped rectangle: inside its bitmap, never empty. */
struct gfx_box {
    uint32_t x, y, w, h;
};

/* pRect (NULL: all of b) checked (GFX_E_BAD_RECT) and clipped to b
 * (GFX_E_OUTSIDE when nothing is left). */
SCODE gfx_clip(const struct gfx_bitmap *b, const RECT *pRect, struct gfx_box *out);

SCODE gfx_fill(const struct gfx_bitmap *b, const RECT *pRect, uint32_t colour);

/* pFrom of src (NULL: all of it) to (x, y) of dst, both clipped; src
 * may be dst, overlapping or not. */
SCODE gfx_blit(const struct gfx_bitmap *dst, const struct gfx_bitmap *src, const RECT *pFrom,
               int32_t x, int32_t y);

/* text's characters in the font, cell after cell from (x, y); only set
 * pixels are drawn. GFX_E_OUTSIDE when no cell touches b. */
SCODE gfx_text(const struct gfx_bitmap *b, int32_t x, int32_t y, const char *text, uint32_t colour);

/* gfx_font.c */
#define GFX_FONT_FIRST  0x20
#define GFX_FONT_GLYPHS 95
extern const uint8_t gfx_font[GFX_FONT_GLYPHS][8];
extern const uint8_t gfx_font_missing[8];
const uint8_t *gfx_glyph(unsigned char c); /* 8 rows, bit 7 leftmost */

#endif
