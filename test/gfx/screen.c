/* The picture on the screen (issue 17): test_gfx's scene (apps/test_gfx/
 * scene.c) drawn by gfx in each placement on each arch, taken with the
 * QEMU monitor's screendump and compared pixel by pixel with what this
 * file works out from the same steps: fills, two tile blits (one
 * clipped), two lines of text (one clipped) in the font's table. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../services/gfx/gfx_draw.h"
#include "../harness/guest.h"

#define SW 640
#define SH 480

static uint32_t want[SH][SW];

static void box(int l, int t, int r, int b, uint32_t c)
{
    for (int y = t; y < b && y < SH; y++)
        for (int x = l; x < r && x < SW; x++)
            if (x >= 0 && y >= 0)
                want[y][x] = c;
}

static void tile_at(int tx, int ty)
{
    box(tx, ty, tx + 32, ty + 32, 0x0000ff);
    box(tx + 8, ty + 8, tx + 16, ty + 16, 0xffff00);
}

static void text_at(int tx, int ty, const char *s, uint32_t c)
{
    for (int i = 0; s[i]; i++)
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                if (gfx_font[s[i] - 0x20][y] >> (7 - x) & 1)
                    box(tx + 8 * i + x, ty + y, tx + 8 * i + x + 1, ty + y + 1, c);
}

static void expected_scene(void)
{
    box(0, 0, SW, SH, 0x202040);
    box(40, 40, 240, 200, 0xff0000);
    box(600, 440, 700, 520, 0x00ff00);
    tile_at(300, 100);
    tile_at(-16, 300);
    text_at(40, 300, "Rialto gfx: 0123456789 ~{}", 0xffffff);
    text_at(600, 20, "clipped", 0xffffff);
}

/* A PPM (P6, 255) of sw x sh into pixels; false if it is not one. */
static bool read_ppm(const char *path, uint32_t *pixels, int sw, int sh)
{
    FILE *f = fopen(path, "rb");
    int w = 0, h = 0, max = 0;
    bool ok = f && fscanf(f, "P6 %d %d %d", &w, &h, &max) == 3 && fgetc(f) != EOF && w == sw &&
              h == sh && max == 255;
    for (int i = 0; ok && i < sw * sh; i++) {
        unsigned char rgb[3];
        ok = fread(rgb, 3, 1, f) == 1;
        pixels[i] = (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | rgb[2];
    }
    if (f)
        fclose(f);
    return ok;
}

/* The guest test gfx_scene_WHERE (test/gfx/guest/placement.c) run with
 * its screendump, which must be the expected scene exactly. */
static void scene(const char *arch, const char *where)
{
    char name[64];
    snprintf(name, sizeof name, "gfx_scene_%s", where);
    struct guest_run run = guest_run_test(arch, name, 60);
    cr_assert_eq(run.outcome, GUEST_PASS, "%s %s: %s\n%s", arch, where, run.verdict, run.log);
    guest_run_free(&run);
    static uint32_t got[SH * SW];
    const char *ppm = guest_screendump_path(arch, name);
    bool read = read_ppm(ppm, got, SW, SH);
    unlink(ppm);
    cr_assert(read, "no screendump of %s %s", arch, where);
    expected_scene();
    const uint32_t *w = &want[0][0];
    unsigned wrong = 0, first = 0;
    for (unsigned i = 0; i < SW * SH; i++)
        if (got[i] != w[i] && !wrong++)
            first = i;
    cr_assert_eq(wrong, 0, "%s %s: %u pixels differ, the first at %u,%u: %#x, want %#x", arch,
                 where, wrong, first % SW, first / SW, got[first], w[first]);
}

/* gfx_modes (test/gfx/guest/modes.c) left 1024x768 on the screen: navy,
 * a white square of 16 in the far corner. */
static void mode_1024(const char *arch)
{
    static uint32_t got[1024 * 768];
    struct guest_run run = guest_run_test(arch, "gfx_modes", 60);
    cr_assert_eq(run.outcome, GUEST_PASS, "%s: %s\n%s", arch, run.verdict, run.log);
    guest_run_free(&run);
    const char *ppm = guest_screendump_path(arch, "gfx_modes");
    bool read = read_ppm(ppm, got, 1024, 768);
    unlink(ppm);
    cr_assert(read, "no 1024x768 screendump on %s", arch);
    unsigned wrong = 0;
    for (int i = 0; i < 1024 * 768; i++)
        wrong += got[i] != (i % 1024 >= 1008 && i / 1024 >= 752 ? 0xffffff : 0x000080);
    cr_assert_eq(wrong, 0, "%s: %u pixels differ", arch, wrong);
}

static void in_the_kernel(const char *arch)
{
    scene(arch, "in_the_kernel");
}

static void in_a_process(const char *arch)
{
    scene(arch, "in_a_process");
}

BOTH_ARCHES(gfx_screen_in_the_kernel, in_the_kernel)
BOTH_ARCHES(gfx_screen_in_a_process, in_a_process)
BOTH_ARCHES(gfx_screen_1024x768, mode_1024)
