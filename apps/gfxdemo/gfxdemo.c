/* gfxdemo: the system's live statistics on the screen (issue 17): free
 * memory, processes and VTLB misses as bars, numbers and a scrolling
 * chart, redrawn twice a second. It uses both ways of drawing: the
 * background is written straight into the surface's mapped pixels, the
 * rest by calls (Fill, Blit: the chart scrolls by blitting itself one
 * step left, DrawText), then Present. Numbers come from ISystem::GetStats
 * when the program is init (init=gfxdemo: the system object is its start
 * handle); started from the shell it shows its own space's view of free
 * memory only. argv[1]: frames to draw (default: for ever). */
#include <ISurface.h>
#include <ISystem.h>
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>

#define W       640
#define H       480
#define CHART_X 40
#define CHART_Y 300
#define CHART_W 560
#define CHART_H 140
#define STEP    8 /* chart pixels per frame */

static ISurface *screen;
static uint32_t *pixels; /* screen's pixels, mapped */
static ISystem *sys;

struct sample {
    uint32_t free_pages, total_pages, processes;
    uint64_t misses, ms;
};

static void sample(struct sample *s)
{
    SYSTEM_STATS st;
    if (sys && SUCCEEDED(ISystem_GetStats(sys, &st))) {
        *s = (struct sample){st.FreePages, st.TotalPages, st.Processes, st.VtlbMisses, st.TimeMs};
        return;
    }
    MEMORY_STATUS m = {.Length = sizeof m};
    IAddressSpace_GetMemoryStatus(CurrentAddressSpace(), &m);
    *s = (struct sample){(uint32_t)(m.AvailPhys / 4096), (uint32_t)(m.TotalPhys / 4096), 0, 0,
                         TimeMs()};
}

/* A vertical blend from deep blue to black, straight into the pixels,
 * rows [0, rows). */
static void background(uint32_t rows)
{
    for (uint32_t y = 0; y < rows; y++) {
        uint32_t c = (0x30 * (H - y) / H) << 8 | (0x60 * (H - y) / H);
        for (uint32_t x = 0; x < W; x++)
            pixels[y * W + x] = c;
    }
}

static void text(int x, int y, uint32_t colour, const char *fmt, unsigned long long v)
{
    char line[80];
    snprintf(line, sizeof line, fmt, v);
    ISurface_DrawText(screen, x, y, line, colour);
}

/* A labelled bar: part of whole, in colour. */
static void bar(int y, const char *label, uint64_t part, uint64_t whole, uint32_t colour)
{
    RECT frame = {200, y, 600, y + 24}, inside = {202, y + 2, 598, y + 22};
    int len = whole ? (int)(part * 396 / whole) : 0;
    RECT fill = {202, y + 2, 202 + (len > 396 ? 396 : len), y + 22};
    ISurface_DrawText(screen, 40, y + 8, label, 0xffffff);
    ISurface_Fill(screen, &frame, 0xc0c0c0);
    ISurface_Fill(screen, &inside, 0x101018);
    ISurface_Fill(screen, &fill, colour);
}

/* The chart moves left one step; the new column is free memory. */
static void chart(const struct sample *s)
{
    RECT from = {CHART_X + STEP, CHART_Y, CHART_X + CHART_W, CHART_Y + CHART_H};
    ISurface_Blit(screen, screen, &from, CHART_X, CHART_Y);
    int h = s->total_pages ? (int)((uint64_t)s->free_pages * CHART_H / s->total_pages) : 0;
    RECT clear = {CHART_X + CHART_W - STEP, CHART_Y, CHART_X + CHART_W, CHART_Y + CHART_H};
    RECT col = {CHART_X + CHART_W - STEP, CHART_Y + CHART_H - h, CHART_X + CHART_W - 1,
                CHART_Y + CHART_H};
    ISurface_Fill(screen, &clear, 0x000000);
    ISurface_Fill(screen, &col, 0x30c060);
}

static void frame(const struct sample *now, const struct sample *before, unsigned n)
{
    uint64_t dt = now->ms > before->ms ? now->ms - before->ms : 1;
    uint64_t rate = (now->misses - before->misses) * 1000 / dt;
    background(CHART_Y - 20); /* above the chart: it keeps its history */
    ISurface_DrawText(screen, 40, 24, "Rialto: the system, live", 0xffd040);
    text(40, 44, 0xa0a0a0, "frame %llu", n);
    text(400, 44, 0xa0a0a0, "up %llu s", now->ms / 1000);
    bar(80, "free memory", now->free_pages, now->total_pages, 0x30c060);
    text(200, 110, 0xffffff, "%llu KiB free", (unsigned long long)now->free_pages * 4);
    bar(140, "processes", now->processes, 16, 0x4080ff);
    text(200, 170, 0xffffff, "%llu processes", now->processes);
    bar(200, "VTLB misses/s", rate, 20000, 0xff6040);
    text(200, 230, 0xffffff, "%llu misses per second", rate);
    ISurface_DrawText(screen, CHART_X, CHART_Y - 14, "free memory, one step a frame", 0xa0a0a0);
    chart(now);
    ISurface_Present(screen, 0);
}

static SCODE setup(void)
{
    IDisplay *display;
    IMemoryObject *mem;
    ADDRESS at = 0;
    SCODE sc = INameService_Lookup(NameService(), "gfx", &IID_IDisplay, (void **)&display);
    if (FAILED(sc))
        return sc;
    sc = IDisplay_CreateSurface(display, W, H, PIXEL_XRGB8888, &screen);
    IDisplay_Release(display);
    if (SUCCEEDED(sc))
        sc = ISurface_GetMemory(screen, AS_PROT_READ | AS_PROT_WRITE, &mem);
    if (FAILED(sc))
        return sc;
    sc = IAddressSpace_Map(CurrentAddressSpace(), &at, W * H * 4,
                           AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE, mem, 0);
    IMemoryObject_Release(mem);
    pixels = (uint32_t *)at;
    return sc;
}

int main(int argc, char **argv)
{
    unsigned frames = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 0;
    if (StartHandle())
        com_unmarshal_interface(StartHandle(), &IID_ISystem, (void **)&sys);
    SCODE sc = setup();
    if (FAILED(sc)) {
        printf("gfxdemo: no graphics (%#x)\n", (unsigned)sc);
        return 1;
    }
    background(H);
    struct sample before, now;
    sample(&before);
    for (unsigned n = 1; !frames || n <= frames; n++) {
        IProcess_Sleep(CurrentProcess(), 500);
        sample(&now);
        frame(&now, &before, n);
        before = now;
        printf("gfxdemo: frame %u\n", n);
    }
    ISurface_Release(screen);
    return 0;
}
