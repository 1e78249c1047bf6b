/* test_gfx's picture (test/gfx/screen.c computes what the screen must
 * then show, on the host, from its own copy of these steps) and its
 * benchmarks (test/gfx/guest/bench.c times them). */
#include "test_gfx.h"

#include <string.h>

int scene(void)
{
    ISurface *s = make(640, 480), *tile = make(32, 32);
    RECT red = {40, 40, 240, 200}, green = {600, 440, 700, 520}, dot = {8, 8, 16, 16};
    CHECK_EQ(ISurface_Fill(s, 0, 0x202040), S_OK);
    CHECK_EQ(ISurface_Fill(s, &red, 0xff0000), S_OK);
    CHECK_EQ(ISurface_Fill(s, &green, 0x00ff00), S_OK);
    CHECK_EQ(ISurface_Fill(tile, 0, 0x0000ff), S_OK);
    CHECK_EQ(ISurface_Fill(tile, &dot, 0xffff00), S_OK);
    CHECK_EQ(ISurface_Blit(s, tile, 0, 300, 100), S_OK);
    CHECK_EQ(ISurface_Blit(s, tile, 0, -16, 300), S_OK);
    CHECK_EQ(ISurface_DrawText(s, 40, 300, "Rialto gfx: 0123456789 ~{}", 0xffffff), S_OK);
    CHECK_EQ(ISurface_DrawText(s, 600, 20, "clipped", 0xffffff), S_OK);
    CHECK_EQ(ISurface_Present(s, 0), S_OK);
    ISurface_Release(tile);
    ISurface_Release(s);
    return utest_failures;
}

int bench(const char *what, unsigned n)
{
    ISurface *a = make(640, 480), *b = make(640, 480);
    for (unsigned i = 0; i < n; i++) {
        if (!strcmp(what, "fill"))
            ISurface_Fill(a, 0, i);
        else if (!strcmp(what, "blit"))
            ISurface_Blit(b, a, 0, 0, 0);
        else if (!strcmp(what, "present"))
            ISurface_Present(a, 0);
    }
    ISurface_Release(a);
    ISurface_Release(b);
    return utest_failures;
}
