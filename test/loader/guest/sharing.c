/* Sharing (paper section 4, kernel/loader/sharing.h): two processes of the
 * same program and the kernel process share rt.dll's code, the program's
 * code is shared by both processes, and a page a process wrote (the
 * runtime's static data, copied at its start) is its own, not shared.
 * Every figure is taken while the processes run; they are ended before
 * any assertion, so the runner finds every page back. */
#include "loaded.h"
#include <kernel/ktest.h>
#include <kernel/loader/sharing.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>
#include <kernel/vm/access.h>

/* p's pages of its images, told apart with as_frame_of alone: still the
 * image's frame, or a copy. */
static void frames_of(struct process *p, size_t *same, size_t *copied)
{
    *same = *copied = 0;
    for (unsigned i = 0; i < p->images.n; i++) {
        struct image *img = p->images.images[i];
        for (vaddr_t va = img->lo; va < img->hi; va += PAGE_SIZE) {
            paddr_t own, seen;
            if (as_frame_of(&img->as, va, &own) && as_frame_of(&p->as, va, &seen))
                ++*(own == seen ? same : copied);
        }
    }
}

/* `sleep 60`, once its runtime has started (written its static data). */
static struct process *sleeper(void)
{
    struct process *p;
    if (FAILED(process_spawn("sleep", 2, (const char *const[]){"sleep", "60"}, &p)))
        return 0;
    size_t same, copied = 0;
    for (int i = 0; i < 200 && !copied; i++) {
        thread_sleep_ticks(1);
        frames_of(p, &same, &copied);
    }
    return p;
}

static void end(struct process *p)
{
    if (!p)
        return;
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
}

static size_t shared_by(const struct sharing *s, const struct process *p)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->spaces[i].proc == p)
            return s->spaces[i].shared;
    return 0;
}

/* One snapshot's figures: saved pages, every space's shared pages, and
 * the kernel's, p1's and p2's. */
struct figures {
    size_t saved, shared, kernel, first, second;
};

static struct figures count(struct process *p1, struct process *p2)
{
    struct sharing s;
    sharing_take(&s);
    struct figures f = {sharing_saved(&s), s.shared, s.spaces[0].shared, shared_by(&s, p1),
                        shared_by(&s, p2)};
    sharing_drop(&s);
    return f;
}

KTEST(sharing_two_processes_of_one_program)
{
    struct image *rt = image_named("rt.dll");
    KT_ASSERT(rt);
    size_t rt_code = sharing_image_pages(rt, true);
    struct figures none = count(0, 0);
    struct process *p1 = sleeper();
    struct image *prog = p1 ? image_named("sleep") : 0;
    size_t prog_code = prog ? sharing_image_pages(prog, true) : 0;
    struct figures one = count(p1, 0);
    struct process *p2 = sleeper();
    struct figures two = count(p1, p2);
    end(p1);
    end(p2);
    KT_ASSERT(p1 && p2 && prog);
    KT_ASSERT(rt_code > 0 && prog_code > 0);
    KT_ASSERT(none.kernel >= rt_code); /* the kernel process maps rt.dll at boot */
    KT_ASSERT(one.first >= rt_code + prog_code);
    KT_ASSERT(two.first >= rt_code + prog_code && two.second >= rt_code + prog_code);
    /* the kernel and p1 share rt.dll's code; p2 shares it and the program's */
    KT_ASSERT(one.saved >= none.saved + rt_code);
    KT_ASSERT(two.saved >= one.saved + rt_code + prog_code);
    /* but one copy of each shared page is held: saved is at most what the
     * spaces share less the pages of the one that shares most */
    KT_ASSERT(one.saved + (one.first > one.kernel ? one.first : one.kernel) <= one.shared);
}

KTEST(sharing_a_written_page_is_private)
{
    struct process *p = sleeper();
    struct image *rt = image_named("rt.dll");
    size_t same = 0, copied = 0, resident = 0, shared = 0;
    bool copy_counted = false;
    if (p) {
        frames_of(p, &same, &copied);
        struct sharing s;
        sharing_take(&s);
        shared = shared_by(&s, p);
        resident = p->as.resident_pages;
        sharing_drop(&s);
        for (vaddr_t va = rt->lo; va < rt->hi; va += PAGE_SIZE) {
            paddr_t own, seen;
            if (as_frame_of(&rt->as, va, &own) && as_frame_of(&p->as, va, &seen) && own != seen)
                copy_counted |= sharing_page_shared(rt, &p->as, va);
        }
    }
    end(p);
    KT_ASSERT(p && rt);
    KT_ASSERT(copied >= 1); /* the runtime's static data, written at start */
    KT_ASSERT(!copy_counted);
    KT_ASSERT_EQ(shared, same);
    KT_ASSERT(resident >= copied); /* the copies are among its private pages */
}
