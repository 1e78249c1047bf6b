/* Drawing on bitmaps (see gfx_draw.h). Every coordinate a caller gives
 * is checked against GFX_MAX_COORD first, so the arithmetic below stays
 * far from int32_t's limits, and every write lands inside the clipped
 * box: nothing here can touch memory outside the bitmap. */
#include "gfx_draw.h"

#include <stdbool.h>
#include <string.h>

static int32_t max32(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

static int32_t min32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

static bool coord_ok(int32_t v)
{
    return v >= -(int32_t)GFX_MAX_COORD && v <= (int32_t)GFX_MAX_COORD;
}

static SCODE rect_check(const RECT *r)
{
    if (!coord_ok(r->Left) || !coord_ok(r->Top) || !coord_ok(r->Right) || !coord_ok(r->Bottom))
        return GFX_E_BAD_RECT;
    return r->Right < r->Left || r->Bottom < r->Top ? GFX_E_BAD_RECT : S_OK;
}

/* r (already checked) cut to [0, w) x [0, h). */
static SCODE clip_to(const RECT *r, uint32_t w, uint32_t h, struct gfx_box *out)
{
    int32_t l = max32(r->Left, 0), t = max32(r->Top, 0);
    int32_t rt = min32(r->Right, (int32_t)w), b = min32(r->Bottom, (int32_t)h);
    if (rt <= l || b <= t)
        return GFX_E_OUTSIDE;
    *out = (struct gfx_box){(uint32_t)l, (uint32_t)t, (uint32_t)(rt - l), (uint32_t)(b - t)};
    return S_OK;
}

SCODE gfx_clip(const struct gfx_bitmap *b, const RECT *pRect, struct gfx_box *out)
{
    RECT all = {0, 0, (int32_t)b->width, (int32_t)b->height};
    const RECT *r = pRect ? pRect : &all;
    SCODE sc = rect_check(r);
    return FAILED(sc) ? sc : clip_to(r, b->width, b->height, out);
}

static uint32_t *at(const struct gfx_bitmap *b, uint32_t x, uint32_t y)
{
    return b->pixels + (size_t)y * b->stride + x;
}

SCODE gfx_fill(const struct gfx_bitmap *b, const RECT *pRect, uint32_t colour)
{
    struct gfx_box box;
    SCODE sc = gfx_clip(b, pRect, &box);
    if (FAILED(sc))
        return sc;
    for (uint32_t y = box.y; y < box.y + box.h; y++) {
        uint32_t *p = at(b, box.x, y);
        for (uint32_t i = 0; i < box.w; i++)
            p[i] = colour;
    }
    return S_OK;
}

/* The source box, clipped to src, moved to (x, y) and clipped to dst;
 * *from is where its first pixel comes from. */
static SCODE blit_boxes(const struct gfx_bitmap *dst, const struct gfx_bitmap *src,
                        const RECT *pFrom, int32_t x, int32_t y, struct gfx_box *to,
                        struct gfx_box *from)
{
    if (!coord_ok(x) || !coord_ok(y))
        return GFX_E_BAD_RECT;
    SCODE sc = gfx_clip(src, pFrom, from);
    if (FAILED(sc))
        return sc;
    /* where the clipped source's corner lands */
    int32_t dx = x + ((int32_t)from->x - (pFrom ? pFrom->Left : 0));
    int32_t dy = y + ((int32_t)from->y - (pFrom ? pFrom->Top : 0));
    RECT r = {dx, dy, dx + (int32_t)from->w, dy + (int32_t)from->h};
    sc = clip_to(&r, dst->width, dst->height, to);
    if (FAILED(sc))
        return sc;
    from->x += to->x - (uint32_t)dx; /* what the destination's clip cut off */
    from->y += to->y - (uint32_t)dy;
    return S_OK;
}

/* n pixels from s to d, as memmove would (the runtime's copies bytes:
 * words are five times faster here). */
static void copy_row(uint32_t *d, const uint32_t *s, uint32_t n)
{
    if (d <= s || d >= s + n) {
        for (uint32_t i = 0; i < n; i++)
            d[i] = s[i];
    } else {
        for (uint32_t i = n; i-- > 0;)
            d[i] = s[i];
    }
}

SCODE gfx_blit(const struct gfx_bitmap *dst, const struct gfx_bitmap *src, const RECT *pFrom,
               int32_t x, int32_t y)
{
    struct gfx_box to, from;
    SCODE sc = blit_boxes(dst, src, pFrom, x, y, &to, &from);
    if (FAILED(sc))
        return sc;
    /* rows bottom-up when a row would overwrite a source row not yet read */
    bool up = dst->pixels == src->pixels && to.y > from.y;
    for (uint32_t i = 0; i < to.h; i++) {
        uint32_t row = up ? to.h - 1 - i : i;
        copy_row(at(dst, to.x, to.y + row), at(src, from.x, from.y + row), to.w);
    }
    return S_OK;
}

/* One glyph's set pixels at (x, y), those inside box only. */
static void glyph(const struct gfx_bitmap *b, const struct gfx_box *box, int32_t x, int32_t y,
                  const uint8_t *rows, uint32_t colour)
{
    for (int32_t r = 0; r < (int32_t)GFX_FONT_HEIGHT; r++) {
        int32_t py = y + r;
        if (py < (int32_t)box->y || py >= (int32_t)(box->y + box->h))
            continue;
        for (int32_t c = 0; c < (int32_t)GFX_FONT_WIDTH; c++) {
            int32_t px = x + c;
            if ((rows[r] & (0x80 >> c)) && px >= (int32_t)box->x && px < (int32_t)(box->x + box->w))
                *at(b, (uint32_t)px, (uint32_t)py) = colour;
        }
    }
}

SCODE gfx_text(const struct gfx_bitmap *b, int32_t x, int32_t y, const char *text, uint32_t colour)
{
    if (!coord_ok(x) || !coord_ok(y))
        return GFX_E_BAD_RECT;
    size_t n = strlen(text);
    /* cells past the bitmap's right edge draw nothing: stop there */
    int32_t room = x < (int32_t)b->width ? ((int32_t)b->width - x + 7) / 8 : 0;
    size_t cells = n < (size_t)room ? n : (size_t)room;
    RECT r = {x, y, x + (int32_t)(cells * GFX_FONT_WIDTH), y + (int32_t)GFX_FONT_HEIGHT};
    struct gfx_box box;
    SCODE sc = clip_to(&r, b->width, b->height, &box);
    if (FAILED(sc))
        return sc;
    for (size_t i = 0; i < cells; i++) {
        int32_t cx = x + (int32_t)(i * GFX_FONT_WIDTH);
        if (cx + (int32_t)GFX_FONT_WIDTH > 0)
            glyph(b, &box, cx, y, gfx_glyph((unsigned char)text[i]), colour);
    }
    return S_OK;
}
