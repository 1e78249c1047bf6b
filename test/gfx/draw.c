/* services/gfx's drawing on the host (gfx_draw.c, gfx_font.c): each
 * operation on a bitmap inside a larger buffer whose border must stay
 * untouched, against what the test works out pixel by pixel. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../services/gfx/gfx_draw.h"

#define W      24
#define H      16
#define BORDER 8
#define STRIDE (W + 2 * BORDER)
#define GUARD  0xdeadbeefu

static uint32_t buf[(H + 2 * BORDER) * STRIDE];
static struct gfx_bitmap bm = {buf + BORDER * STRIDE + BORDER, W, H, STRIDE};

static void setup(void)
{
    for (size_t i = 0; i < sizeof buf / 4; i++)
        buf[i] = GUARD;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            bm.pixels[y * STRIDE + x] = 0;
}

static uint32_t px(int x, int y)
{
    return bm.pixels[y * STRIDE + x];
}

/* Nothing outside the bitmap was written. */
static void border_intact(void)
{
    for (int y = -BORDER; y < H + BORDER; y++)
        for (int x = -BORDER; x < W + BORDER; x++)
            if (x < 0 || y < 0 || x >= W || y >= H)
                cr_assert_eq(bm.pixels[y * STRIDE + x], GUARD, "written outside at %d,%d", x, y);
}

/* Pixels equal to c exactly in [l, r) x [t, b). */
static void only_rect(int l, int t, int r, int b, uint32_t c)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            bool in = x >= l && x < r && y >= t && y < b;
            cr_assert_eq(px(x, y) == c, in, "pixel %d,%d is %#x", x, y, px(x, y));
        }
    border_intact();
}

TestSuite(gfx_draw, .init = setup);

Test(gfx_draw, fill_inside_and_whole)
{
    RECT r = {2, 3, 7, 9};
    cr_assert_eq(gfx_fill(&bm, &r, 0xff), S_OK);
    only_rect(2, 3, 7, 9, 0xff);
    cr_assert_eq(gfx_fill(&bm, 0, 0x1), S_OK);
    only_rect(0, 0, W, H, 0x1);
}

Test(gfx_draw, fill_clipped_on_every_side)
{
    RECT r = {-5, -5, W + 5, 2};
    cr_assert_eq(gfx_fill(&bm, &r, 7), S_OK);
    only_rect(0, 0, W, 2, 7);
    setup();
    RECT br = {W - 3, H - 2, W + 100, H + 100};
    cr_assert_eq(gfx_fill(&bm, &br, 7), S_OK);
    only_rect(W - 3, H - 2, W, H, 7);
}

Test(gfx_draw, bad_rectangles_draw_nothing)
{
    RECT bad[] = {{5, 0, 4, 3},      {0, 5, 3, 4},          {0, 0, 40000, 3},
                  {-40000, 0, 3, 3}, {0, 0, 3, 0x7fffffff}, {0, -0x7fffffff, 1, 1}};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(gfx_fill(&bm, &bad[i], 9), GFX_E_BAD_RECT, "case %u", i);
    RECT out[] = {{W, 0, W + 4, 4}, {0, H, 4, H + 1}, {-4, 0, 0, 4}, {3, 3, 3, 8}, {3, 3, 8, 3}};
    for (unsigned i = 0; i < sizeof out / sizeof out[0]; i++)
        cr_assert_eq(gfx_fill(&bm, &out[i], 9), GFX_E_OUTSIDE, "case %u", i);
    only_rect(0, 0, 0, 0, 9);
}

/* A source with a distinct value in every pixel. */
static uint32_t src_px[10 * 6];
static struct gfx_bitmap src = {src_px, 10, 6, 10};

static void numbered(void)
{
    for (uint32_t i = 0; i < 60; i++)
        src_px[i] = 0x1000 + i;
}

Test(gfx_draw, blit_clipped_at_source_and_destination)
{
    numbered();
    RECT from = {-2, 1, 6, 5}; /* clipped to x 0..6 at the source */
    cr_assert_eq(gfx_blit(&bm, &src, &from, W - 3, -1), S_OK);
    /* source (sx, sy) lands at (W - 1 + sx, sy - 2) */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int sx = x - (W - 1), sy = y + 2;
            bool in = sx >= 0 && sx < 6 && sy >= 1 && sy < 5;
            uint32_t want = in ? 0x1000 + (uint32_t)(sy * 10 + sx) : 0;
            cr_assert_eq(px(x, y), want, "pixel %d,%d: %#x, want %#x", x, y, px(x, y), want);
        }
    border_intact();
}

/* The destination clips the left and top: the source moves with it. */
Test(gfx_draw, blit_clipped_left_and_top_at_destination)
{
    numbered();
    cr_assert_eq(gfx_blit(&bm, &src, 0, -3, -2), S_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            bool in = x < 7 && y < 4;
            uint32_t want = in ? 0x1000 + (uint32_t)((y + 2) * 10 + x + 3) : 0;
            cr_assert_eq(px(x, y), want, "pixel %d,%d: %#x, want %#x", x, y, px(x, y), want);
        }
    border_intact();
}

Test(gfx_draw, blit_whole_source_and_misses)
{
    numbered();
    cr_assert_eq(gfx_blit(&bm, &src, 0, 3, 4), S_OK);
    for (int y = 0; y < 6; y++)
        for (int x = 0; x < 10; x++)
            cr_assert_eq(px(3 + x, 4 + y), 0x1000 + (uint32_t)(y * 10 + x));
    cr_assert_eq(gfx_blit(&bm, &src, 0, W, 0), GFX_E_OUTSIDE);
    cr_assert_eq(gfx_blit(&bm, &src, 0, -10, 0), GFX_E_OUTSIDE);
    cr_assert_eq(gfx_blit(&bm, &src, 0, 0, 40000), GFX_E_BAD_RECT);
    RECT beyond = {10, 0, 20, 6};
    cr_assert_eq(gfx_blit(&bm, &src, &beyond, 0, 0), GFX_E_OUTSIDE);
    border_intact();
}

/* Overlapping copies in a bitmap onto itself, every direction. */
Test(gfx_draw, blit_onto_itself_overlapping)
{
    int moves[][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {3, 2}, {-2, -3}};
    for (unsigned m = 0; m < 6; m++) {
        setup();
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                bm.pixels[y * STRIDE + x] = (uint32_t)(y * 100 + x);
        RECT from = {4, 4, 14, 10};
        int dx = moves[m][0], dy = moves[m][1];
        cr_assert_eq(gfx_blit(&bm, &bm, &from, 4 + dx, 4 + dy), S_OK);
        for (int y = 4; y < 10; y++)
            for (int x = 4; x < 14; x++)
                cr_assert_eq(px(x + dx, y + dy), (uint32_t)(y * 100 + x), "move %u at %d,%d", m, x,
                             y);
        border_intact();
    }
}

/* What the font table says glyph c's pixel (x, y) is. */
static bool lit(unsigned char c, int x, int y)
{
    const uint8_t *g = c >= 0x20 && c < 0x7f ? gfx_font[c - 0x20] : gfx_font_missing;
    return g[y] >> (7 - x) & 1;
}

Test(gfx_draw, text_follows_the_font)
{
    cr_assert_eq(gfx_text(&bm, 1, 2, "A~\x01", 0xabc), S_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int cell = (x - 1) / 8;
            bool in = x >= 1 && y >= 2 && y < 10 && cell < 3;
            bool want = in && lit((unsigned char)"A~\x01"[cell], (x - 1) % 8, y - 2);
            cr_assert_eq(px(x, y) == 0xabc, want, "pixel %d,%d", x, y);
        }
    border_intact();
}

Test(gfx_draw, text_clipped_and_refused)
{
    cr_assert_eq(gfx_text(&bm, -5, H - 4, "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM", 0x5), S_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int cx = x + 5, cy = y - (H - 4);
            bool want = cy >= 0 && cy < 4 && lit('M', cx % 8, cy);
            cr_assert_eq(px(x, y) == 0x5, want, "pixel %d,%d", x, y);
        }
    border_intact();
    cr_assert_eq(gfx_text(&bm, W, 0, "x", 1), GFX_E_OUTSIDE);
    cr_assert_eq(gfx_text(&bm, -8, 0, "x", 1), GFX_E_OUTSIDE);
    cr_assert_eq(gfx_text(&bm, 0, -8, "x", 1), GFX_E_OUTSIDE);
    cr_assert_eq(gfx_text(&bm, 0, 0, "", 1), GFX_E_OUTSIDE);
    cr_assert_eq(gfx_text(&bm, -40000, 0, "x", 1), GFX_E_BAD_RECT);
}

/* Every printable glyph has a pixel, and none uses the cell's last
 * column (the gap between characters); ' ' alone is blank. */
Test(gfx_draw, font_table_shape)
{
    for (int c = 0x21; c < 0x7f; c++) {
        unsigned n = 0;
        for (int y = 0; y < 8; y++) {
            n += (unsigned)__builtin_popcount(gfx_font[c - 0x20][y]);
            cr_assert_eq(gfx_font[c - 0x20][y] & 0x01, 0, "glyph %c", c);
        }
        cr_assert_gt(n, 0, "glyph %c is blank", c);
    }
    for (int y = 0; y < 8; y++)
        cr_assert_eq(gfx_font[0][y], 0);
    cr_assert_eq(gfx_glyph(0x7f), gfx_font_missing);
    cr_assert_eq(gfx_glyph('A'), gfx_font['A' - 0x20]);
}
