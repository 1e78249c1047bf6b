/* Images (paper 2.2): one loaded copy of each executable or DLL, shared
 * by every space that uses it. The loader keeps an image's original
 * writeable copy in a private address space of its own, filled from the
 * file once: code committed dealloc-no-erase (paper 2.1), data and bss
 * zero-filled. A space that uses the image gets copy-on-write mappings of
 * it at the image's fixed addresses, so code pages stay one set of frames
 * for every process and the kernel, and each space's first write to
 * static data gives it a private copy. An image lives while a space maps
 * it (`users`); the last image_put frees its space and every page.
 * Kernel only. */
#ifndef KERNEL_LOADER_IMAGE_H
#define KERNEL_LOADER_IMAGE_H

#include <kernel/loader/elf.h>
#include <kernel/vm/vm.h>

struct image {
    char name[ELF_IMPORT_NAME]; /* as the boot archive names it */
    const void *data;           /* the file (in the boot archive) */
    size_t size;
    struct elf_image elf;
    vaddr_t lo, hi; /* the pages its segments cover */
    struct as as;   /* the private copy */
    unsigned users; /* spaces that map it */
    struct image *next;
};

/* The image of file data[0, size) called `name`: the loaded one if there
 * is one, else loaded now; counts one more user. LDR_E_* for a bad file,
 * E_OUTOFMEMORY. */
SCODE image_get(const char *name, const void *data, size_t size, struct image **out);
/* One user fewer; the last frees the image. */
void image_put(struct image *img);

/* Map every segment of img copy-on-write at its own addresses in `space`,
 * with the segment's protection; LDR_E_ADDRESS_TAKEN if any of them is in
 * use there, LDR_E_OUT_OF_RANGE if outside the space. Nothing is left
 * mapped when it fails. */
SCODE image_map(struct image *img, struct as *space);
void image_unmap(struct image *img, struct as *space);

/* The loaded images, for reports: calls fn for each under the loader's lock. */
void image_each(void (*fn)(struct image *img, void *arg), void *arg);

#endif
