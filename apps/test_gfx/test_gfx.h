/* test_gfx's parts for each other (apps/test_gfx). */
#ifndef TEST_GFX_H
#define TEST_GFX_H

#include <ISurface.h>
#include <rialto.h>
#include <utest.h>

#define PG 4096u
#define RW (AS_PROT_READ | AS_PROT_WRITE)

extern IDisplay *display;

/* test_gfx.c */
ISurface *make(uint32_t w, uint32_t h);
/* s's pixels mapped here with prot; *bytes is the mapping's size. */
uint32_t *map(ISurface *s, ADDR_FLAGS prot, ADDR_SIZE *bytes);
void unmap(uint32_t *p, ADDR_SIZE bytes);
extern volatile unsigned faults; /* access violations the handler absorbed */

/* bad.c: every kind of bad input, and the released and foreign cases. */
void bad_input(void);

/* scene.c: the picture test/gfx/screen.c expects, and the benchmarks. */
int scene(void);
int bench(const char *what, unsigned n);

#endif
