/* The bochs-display driver's modes (drivers/gfx): the ones it refuses,
 * and 1024x768x32 shown (the far corner drawn through the driver's own
 * mapping of the framebuffer), held for the host's screendump
 * (test/gfx/screen.c checks its size and pixels), then 640x480 again. */
#include <drivers/gfx/bochs.h>
#include <kernel/console.h>
#include <kernel/ipc/names.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>

static void refused(IFrameBuffer *fb)
{
    static const uint32_t bad[][2] = {{0, 0},       {1025, 768},     {1024, 776},
                                      {2048, 2048}, {100, 63},       {63, 100},
                                      {644, 480},   {0xffffffff, 8}, {1032, 768}};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        KT_ASSERT_EQ(IFrameBuffer_SetMode(fb, bad[i][0], bad[i][1]), GFX_E_BAD_MODE);
}

KTEST(gfx_modes)
{
    IFrameBuffer *fb;
    FB_MODE m;
    char line[8];
    KT_ASSERT_EQ(names_lookup("display0", &IID_IFrameBuffer, (void **)&fb), S_OK);
    refused(fb);
    KT_ASSERT_EQ(IFrameBuffer_SetMode(fb, 1024, 768), S_OK);
    KT_ASSERT_EQ(IFrameBuffer_GetMode(fb, &m), S_OK);
    KT_ASSERT(m.Width == 1024 && m.Height == 768 && m.Bpp == 32 && m.Pitch == 4096);
    uint32_t *p = (uint32_t *)(uintptr_t)bochs_device()->fb;
    for (uint32_t i = 0; i < 1024 * 768; i++)
        p[i] = 0x000080;
    for (uint32_t y = 752; y < 768; y++)
        for (uint32_t x = 1008; x < 1024; x++)
            p[y * 1024 + x] = 0xffffff;
    kprintf("gfx: picture ready\n"); /* GUEST_PICTURE_READY (test/harness/guest.h) */
    console_read_line(line, sizeof line);
    KT_ASSERT_EQ(IFrameBuffer_SetMode(fb, 640, 480), S_OK);
    KT_ASSERT_EQ(IFrameBuffer_GetMode(fb, &m), S_OK);
    KT_ASSERT(m.Width == 640 && m.Pitch == 2560);
    IFrameBuffer_Release(fb);
}
