/* Counting the pages images share (see <kernel/loader/sharing.h>). The
 * spaces are held by reference (a process's space outlives its pages),
 * and the images are walked under the loader's lock, so none is freed
 * while its pages are looked at; a process that ends meanwhile only
 * stops reading the image's frames. */
#include <arch/mmu.h>
#include <kernel/loader/sharing.h>
#include <kernel/proc/kernel_process.h>
#include <kernel/proc/process.h>
#include <kernel/sched/np.h>
#include <kernel/vm/access.h>
#include <kernel/vm/kmem.h>

static vaddr_t page_down(vaddr_t a)
{
    return a & ~(vaddr_t)(PAGE_SIZE - 1);
}

static vaddr_t page_up(vaddr_t a)
{
    return page_down(a + PAGE_SIZE - 1);
}

static bool in_segment(const struct image *img, vaddr_t va, bool code_only)
{
    for (unsigned i = 0; i < img->elf.nsegments; i++) {
        const struct elf_segment *seg = &img->elf.segments[i];
        vaddr_t lo = page_down(seg->vaddr), hi = page_up(seg->vaddr + seg->mem_size);
        if (va >= lo && va < hi && (!code_only || seg->prot & AS_PROT_EXECUTE))
            return true;
    }
    return false;
}

/* Walking [lo, hi) page by page rather than segment by segment counts a
 * page two segments share once. */
size_t sharing_image_pages(const struct image *img, bool code_only)
{
    size_t n = 0;
    for (vaddr_t va = img->lo; va < img->hi; va += PAGE_SIZE)
        n += in_segment(img, va, code_only);
    return n;
}

bool sharing_page_shared(struct image *img, struct as *space, vaddr_t va)
{
    paddr_t own, seen;
    return as_frame_of(&img->as, va, &own) && as_frame_of(space, va, &seen) && own == seen;
}

static bool uses(const struct sharing_space *sp, const struct image *img)
{
    for (unsigned i = 0; i < sp->set->n && i < LOADER_MAX_IMAGES; i++)
        if (sp->set->images[i] == img)
            return true;
    return false;
}

/* One image's pages in every space of the snapshot that maps it. */
static void count_image(struct image *img, void *arg)
{
    struct sharing *s = arg;
    for (vaddr_t va = img->lo; va < img->hi; va += PAGE_SIZE) {
        bool held = false;
        for (unsigned i = 0; i < s->n; i++) {
            struct sharing_space *sp = &s->spaces[i];
            if (uses(sp, img) && sharing_page_shared(img, sp->as, va)) {
                sp->shared++;
                held = true;
            }
        }
        s->held += held;
    }
}

/* Every live process, with a reference (as process_find takes one). */
static void take_processes(struct sharing *s)
{
    unsigned long irq = np_begin(NP_SCHED);
    for (struct process *p = process_list(); p; p = p->next_all) {
        if (!p->refs)
            continue;
        if (s->n == SHARING_MAX_SPACES) {
            s->missing++;
            continue;
        }
        __atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
        s->spaces[s->n++] = (struct sharing_space){p, &p->as, &p->images, 0};
    }
    np_end(NP_SCHED, irq);
}

void sharing_take(struct sharing *s)
{
    *s = (struct sharing){0};
    s->spaces[s->n++] = (struct sharing_space){0, &kernel_as, kernel_process_images(), 0};
    take_processes(s);
    image_each(count_image, s);
    for (unsigned i = 0; i < s->n; i++)
        s->shared += s->spaces[i].shared;
}

void sharing_drop(struct sharing *s)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->spaces[i].proc)
            process_release(s->spaces[i].proc);
    s->n = 0;
}

size_t sharing_saved(const struct sharing *s)
{
    return s->shared - s->held;
}
