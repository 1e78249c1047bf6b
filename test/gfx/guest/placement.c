/* The graphics service (issue 17) in both placements: its app test,
 * test_gfx, passes with gfx started in the kernel process and in a
 * process of its own, from the same binary, on the display the harness
 * gives every gfx_* test (tools/qemu --display); the process placement
 * gives back every page when its process ends. The gfx_scene_* tests
 * draw test_gfx's picture and hold still until the host has taken its
 * screendump (test/gfx/screen.c) and pressed Enter. */
#include "../../proc/guest/run.h"
#include <ISurface.h>
#include <kernel/console.h>
#include <kernel/ipc/names.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/loader/services.h>
#include <kernel/proc/process.h>

static int32_t test_gfx(const char *mode)
{
    return run_program(2, (const char *const[]){"test_gfx", mode});
}

/* Started in the kernel, where it stays: the first run makes the kernel
 * process's heap and data pages, then the baseline is taken again. */
static void in_the_kernel(const char *mode)
{
    KT_ASSERT_EQ(service_start("gfx", PLACE_KERNEL, 0), S_OK);
    KT_ASSERT(service_wait_ready("gfx", SERVICE_READY_MS));
    KT_ASSERT_EQ(test_gfx(mode), 0);
    ktest_rebaseline();
    KT_ASSERT_EQ(test_gfx(mode), 0);
}

static void in_a_process(const char *mode, void (*then)(void))
{
    struct process *p;
    KT_ASSERT_EQ(service_start("gfx", PLACE_PROCESS, &p), S_OK);
    KT_ASSERT(p && service_wait_ready("gfx", SERVICE_READY_MS));
    int32_t first = test_gfx(mode), second = test_gfx(mode);
    if (then)
        then();
    end_process(p);
    KT_ASSERT_EQ(first, 0);
    KT_ASSERT_EQ(second, 0);
    IUnknown *gone;
    KT_ASSERT_EQ(names_lookup("gfx", &IID_IUnknown, (void **)&gone), NAME_E_NOT_FOUND);
}

/* The picture is on the screen: the host takes it, then presses Enter. */
static void hold_for_screendump(void)
{
    char line[8];
    kprintf("gfx: picture ready\n"); /* GUEST_PICTURE_READY (test/harness/guest.h) */
    console_read_line(line, sizeof line);
}

KTEST(gfx_in_the_kernel)
{
    in_the_kernel("all");
}

KTEST(gfx_in_a_process)
{
    in_a_process("all", 0);
}

KTEST(gfx_scene_in_the_kernel)
{
    in_the_kernel("scene");
    hold_for_screendump();
}

KTEST(gfx_scene_in_a_process)
{
    in_a_process("scene", hold_for_screendump);
}
