/* Sharing (paper section 4): how many pages the copy-on-write mappings of
 * images save. A space's page of an image is shared while it still reads
 * the image's own frame (code, and data not written yet); a page the
 * space wrote is a private copy, counted with its resident pages.
 *
 * Saved pages: without sharing each space would hold its own copy of
 * every page it now shares; with sharing one copy of each such page is
 * held, in the image's private space. So
 *
 *     saved = sum over spaces of shared pages
 *           - sum over images of pages shared by at least one space.
 *
 * The spaces are the kernel process's (kernel_as) and every process's.
 * Kernel only. */
#ifndef KERNEL_LOADER_SHARING_H
#define KERNEL_LOADER_SHARING_H

#include <kernel/loader/loader.h>

#define SHARING_MAX_SPACES 32 /* a report counts at most this many spaces */

struct process;

/* One space's part: its images and, once counted, its shared pages. */
struct sharing_space {
    struct process *proc; /* with a reference; NULL: the kernel process */
    struct as *as;
    const struct image_set *set;
    size_t shared;
};

/* A snapshot of the spaces that map images, counted. */
struct sharing {
    unsigned n;       /* spaces[0] is the kernel process */
    unsigned missing; /* live processes past SHARING_MAX_SPACES, not counted */
    struct sharing_space spaces[SHARING_MAX_SPACES];
    size_t shared; /* sum of the spaces' shared pages */
    size_t held;   /* sum of the images' pages shared by at least one space */
};

/* Count the kernel process and every live process (each held with a
 * reference until sharing_drop). Takes the loader's lock. */
void sharing_take(struct sharing *s);
void sharing_drop(struct sharing *s);

/* Pages saved by sharing (see above). */
size_t sharing_saved(const struct sharing *s);

/* Whether va, a page of img, reads img's own frame in `space`. */
bool sharing_page_shared(struct image *img, struct as *space, vaddr_t va);

/* The pages img's segments cover, all of them or only the executable ones. */
size_t sharing_image_pages(const struct image *img, bool code_only);

#endif
