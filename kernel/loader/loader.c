/* The loader: an image and its imports into one space (see
 * <kernel/loader/loader.h>). */
#include <kernel/loader/bootfs.h>
#include <kernel/loader/loader.h>
#include <kernel/string.h>

SCODE loader_find(const char *name, const void **data, size_t *size)
{
    struct bootfs_entry e;
    SCODE sc = bootfs_find(bootfs_start, (size_t)(bootfs_end - bootfs_start), name, &e);
    if (FAILED(sc))
        return sc;
    if (!e.regular)
        return E_INVALIDARG;
    *data = e.data, *size = e.size;
    return S_OK;
}

static bool in_set(const struct image_set *set, const char *name)
{
    for (unsigned i = 0; i < set->n; i++)
        if (!strncmp(set->images[i]->name, name, ELF_IMPORT_NAME - 1))
            return true;
    return false;
}

static SCODE load_imports(struct as *space, const struct image *img, struct image_set *set,
                          unsigned depth);

static SCODE load_at(struct as *space, const char *name, const void *data, size_t size,
                     struct image_set *set, unsigned depth, struct image **out)
{
    if (set->n == LOADER_MAX_IMAGES)
        return LDR_E_TOO_MANY_IMAGES;
    struct image *img;
    SCODE sc = image_get(name, data, size, &img);
    if (FAILED(sc))
        return sc;
    sc = image_map(img, space);
    if (FAILED(sc)) {
        image_put(img);
        return sc;
    }
    set->images[set->n++] = img;
    *out = img;
    return load_imports(space, img, set, depth);
}

static SCODE load_imports(struct as *space, const struct image *img, struct image_set *set,
                          unsigned depth)
{
    for (unsigned i = 0; i < img->elf.nimports; i++) {
        const char *name = img->elf.imports[i];
        if (in_set(set, name))
            continue;
        if (depth == LOADER_MAX_DEPTH)
            return LDR_E_IMPORT_DEPTH;
        const void *data;
        size_t size;
        struct image *dll;
        SCODE sc = loader_find(name, &data, &size);
        if (SUCCEEDED(sc))
            sc = load_at(space, name, data, size, set, depth + 1, &dll);
        if (FAILED(sc))
            return sc;
    }
    return S_OK;
}

SCODE loader_load(struct as *space, const char *name, const void *data, size_t size,
                  struct image_set *set, uintptr_t *entry)
{
    struct image *img;
    SCODE sc = load_at(space, name, data, size, set, 0, &img);
    if (SUCCEEDED(sc))
        *entry = img->elf.entry;
    return sc;
}

void loader_unload(struct as *space, struct image_set *set)
{
    while (set->n) {
        struct image *img = set->images[--set->n];
        image_unmap(img, space);
        image_put(img);
    }
}
