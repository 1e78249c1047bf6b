/* The loader (paper 1.1, 2.2): an image and every DLL it imports, mapped
 * into one space. DLLs are linked at fixed addresses in the overlap region
 * (the user's and the kernel's 1-2 GiB), and an image is linked against
 * the DLLs it imports (ld.lld --just-symbols): it holds their absolute
 * addresses, so nothing is relocated at load time and a DLL's pages are
 * the same bytes in every space. The import notes (elf.h) say which DLLs
 * to map; each comes from the boot archive by name, once per space
 * however many images import it. Kernel only. */
#ifndef KERNEL_LOADER_LOADER_H
#define KERNEL_LOADER_LOADER_H

#include <kernel/loader/image.h>

#define LOADER_MAX_IMAGES 8 /* images one space uses: a program and its DLLs */
#define LOADER_MAX_DEPTH  4 /* imports of imports of ... */

/* The images one space uses, in the order they were mapped. */
struct image_set {
    struct image *images[LOADER_MAX_IMAGES];
    unsigned n;
};

/* The file `name` of the boot archive: BOOTFS_E_NOT_FOUND, or E_INVALIDARG
 * for an entry that is not a regular file. */
SCODE loader_find(const char *name, const void **data, size_t *size);

/* Map image `name` (file data[0, size)) and, recursively, its imports into
 * `space`, adding each to `set` unless it is there already; *entry is the
 * image's entry point. On failure `set` holds what was mapped so far, for
 * loader_unload. */
SCODE loader_load(struct as *space, const char *name, const void *data, size_t size,
                  struct image_set *set, uintptr_t *entry);

/* Unmap every image of `set` from `space` and drop them (the last user of
 * an image frees it); the set is empty afterwards. */
void loader_unload(struct as *space, struct image_set *set);

#endif
