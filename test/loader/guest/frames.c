/* Sharing (paper 2.2): one copy of an image serves every space. A code
 * page of rt.dll is the same frame in two processes and in the kernel
 * process, and the image's own; so is the program's code page in two
 * processes of one program. Static data starts shared too, and the first
 * write gives each writer a copy of its own: after the runtime started in
 * both processes (it writes its start-up state), each has a private frame
 * for that page, different from the other's and from the image's. */
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <kernel/loader/loader.h>
#include <kernel/proc/kernel_process.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/vm/access.h>
#include <kernel/vm/kmem.h>

static const struct elf_segment *segment_with(const struct image *img, uint32_t prot)
{
    for (unsigned i = 0; i < img->elf.nsegments; i++)
        if ((img->elf.segments[i].prot & prot) == prot)
            return &img->elf.segments[i];
    return 0;
}

static struct image *image_named(const struct image_set *set, const char *name)
{
    for (unsigned i = 0; i < set->n; i++)
        if (!strcmp(set->images[i]->name, name))
            return set->images[i];
    return 0;
}

static paddr_t frame(struct as *as, vaddr_t va)
{
    paddr_t pa;
    return as_frame_of(as, va & ~(vaddr_t)(PAGE_SIZE - 1), &pa) ? pa : (paddr_t)-1;
}

/* A page of img's data that p wrote: its frame is no longer the image's.
 * The runtime writes its state at start; wait for that (2 s at most). */
static vaddr_t written_page(struct process *p, const struct image *img)
{
    const struct elf_segment *d = segment_with(img, AS_PROT_WRITE);
    vaddr_t lo = d->vaddr & ~(vaddr_t)(PAGE_SIZE - 1);
    for (int tries = 0; tries < 200; tries++, thread_sleep_ticks(1))
        for (vaddr_t va = lo; va < d->vaddr + d->mem_size; va += PAGE_SIZE)
            if (frame(&p->as, va) != frame((struct as *)&img->as, va))
                return va;
    return 0;
}

static void check_sharing(struct process *a, struct process *b)
{
    struct image *rt = image_named(kernel_process_images(), "rt.dll");
    KT_ASSERT(rt && image_named(&a->images, "rt.dll") == rt &&
              image_named(&b->images, "rt.dll") == rt);
    vaddr_t code = segment_with(rt, AS_PROT_EXECUTE)->vaddr;
    paddr_t mine = frame(&rt->as, code);
    KT_ASSERT(mine != (paddr_t)-1);
    KT_ASSERT_EQ(frame(&a->as, code), mine);
    KT_ASSERT_EQ(frame(&b->as, code), mine);
    KT_ASSERT_EQ(frame(&kernel_as, code), mine);
    struct image *prog = image_named(&a->images, "sleep");
    KT_ASSERT(prog && image_named(&b->images, "sleep") == prog);
    vaddr_t entry = prog->elf.entry;
    KT_ASSERT_EQ(frame(&a->as, entry), frame(&b->as, entry));
    KT_ASSERT_EQ(frame(&a->as, entry), frame(&prog->as, entry));
    vaddr_t data = written_page(a, rt);
    KT_ASSERT(data != 0);
    KT_ASSERT(written_page(b, rt) != 0);
    paddr_t fa = frame(&a->as, data), fb = frame(&b->as, data), fi = frame(&rt->as, data);
    KT_ASSERT(fa != fi && fb != fi && fa != fb);
}

KTEST(loader_dll_code_is_one_frame_and_static_data_private)
{
    const char *const argv[] = {"sleep", "5"};
    struct process *a, *b;
    KT_ASSERT_EQ(process_spawn("sleep", 2, argv, &a), S_OK);
    if (FAILED(process_spawn("sleep", 2, argv, &b))) {
        process_terminate(a, 0), process_wait(a), process_release(a);
        KT_ASSERT(!"second sleep");
    }
    check_sharing(a, b);
    struct process *both[] = {a, b};
    for (int i = 0; i < 2; i++) {
        process_terminate(both[i], 0);
        process_wait(both[i]);
        process_release(both[i]);
    }
}
