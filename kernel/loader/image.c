/* Images: the loaded copy of each file, shared (see <kernel/loader/image.h>). */
#include <arch/mmu.h>
#include <kernel/arch.h>
#include <kernel/loader/image.h>
#include <kernel/string.h>
#include <kernel/sync/lock.h>
#include <kernel/vm/access.h>

static struct image *images;
static struct mutex loader_lock = MUTEX_INIT("loader");

static vaddr_t page_down(vaddr_t a)
{
    return a & ~(vaddr_t)(PAGE_SIZE - 1);
}

static vaddr_t page_up(vaddr_t a)
{
    return page_down(a + PAGE_SIZE - 1);
}

/* One segment in the private copy: committed writeable (only the loader
 * writes it; the mappings carry the segment's protection), zero-filled,
 * code dealloc-no-erase; then the file's bytes. */
static SCODE fill_segment(struct image *img, const struct elf_segment *s)
{
    vaddr_t lo = page_down(s->vaddr);
    size_t size = page_up(s->vaddr + s->mem_size) - lo;
    uint32_t flags = s->prot | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_ALLOC_ZERO;
    if (s->prot & AS_PROT_EXECUTE)
        flags |= AS_COMMIT_DEALLOC_NO_ERASE;
    vaddr_t at = lo;
    SCODE sc = as_reserve(&img->as, &at, size, 0);
    if (SUCCEEDED(sc))
        sc = as_commit(&img->as, lo, size, flags);
    if (SUCCEEDED(sc))
        sc = as_write_through(&img->as, s->vaddr, (const char *)img->data + s->file_off,
                              s->file_size);
    return sc;
}

static void free_image(struct image *img)
{
    as_deallocate(&img->as, img->lo, img->hi - img->lo);
    as_destroy(&img->as);
    heap_free(&kernel_heap, img);
}

static SCODE load(const char *name, const void *data, size_t size, struct image **out)
{
    struct elf_image elf;
    SCODE sc = elf_parse(data, size, ARCH_ELF_MACHINE, USER_BASE, USER_END, &elf);
    if (FAILED(sc))
        return sc;
    struct image *img = heap_alloc(&kernel_heap, sizeof *img);
    if (!img)
        return E_OUTOFMEMORY;
    *img = (struct image){.data = data, .size = size, .elf = elf, .users = 1};
    kstrlcpy(img->name, name, sizeof img->name);
    img->lo = page_down(elf.segments[0].vaddr);
    const struct elf_segment *last = &elf.segments[elf.nsegments - 1];
    img->hi = page_up(last->vaddr + last->mem_size);
    as_init(&img->as, img->name, img->lo, img->hi, &kernel_heap);
    for (unsigned i = 0; SUCCEEDED(sc) && i < elf.nsegments; i++)
        sc = fill_segment(img, &elf.segments[i]);
    if (FAILED(sc)) {
        free_image(img);
        return sc;
    }
    img->next = images;
    images = img;
    *out = img;
    return S_OK;
}

static struct image *find(const char *name, const void *data, size_t size)
{
    for (struct image *img = images; img; img = img->next)
        if (img->data == data && img->size == size &&
            !strncmp(img->name, name, sizeof img->name - 1))
            return img;
    return 0;
}

SCODE image_get(const char *name, const void *data, size_t size, struct image **out)
{
    mutex_lock(&loader_lock);
    struct image *img = find(name, data, size);
    SCODE sc = S_OK;
    if (img)
        img->users++, *out = img;
    else
        sc = load(name, data, size, out);
    mutex_unlock(&loader_lock);
    return sc;
}

void image_put(struct image *img)
{
    mutex_lock(&loader_lock);
    bool last = --img->users == 0;
    if (last) {
        struct image **pp = &images;
        while (*pp != img)
            pp = &(*pp)->next;
        *pp = img->next;
    }
    mutex_unlock(&loader_lock);
    if (last)
        free_image(img);
}

static void segment_range(const struct elf_segment *s, vaddr_t *lo, size_t *size)
{
    *lo = page_down(s->vaddr);
    *size = page_up(s->vaddr + s->mem_size) - *lo;
}

static SCODE map_error(SCODE sc)
{
    if (sc == VM_E_OUT_OF_RANGE)
        return LDR_E_OUT_OF_RANGE;
    return sc == VM_E_IN_USE ? LDR_E_ADDRESS_TAKEN : sc;
}

static void unmap_first(struct image *img, struct as *space, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        vaddr_t lo;
        size_t size;
        segment_range(&img->elf.segments[i], &lo, &size);
        as_deallocate(space, lo, size);
    }
}

SCODE image_map(struct image *img, struct as *space)
{
    for (unsigned i = 0; i < img->elf.nsegments; i++) {
        const struct elf_segment *s = &img->elf.segments[i];
        vaddr_t lo, at;
        size_t size;
        segment_range(s, &lo, &size);
        at = lo;
        SCODE sc = as_reserve(space, &at, size, 0);
        if (SUCCEEDED(sc)) {
            sc = as_map_range(space, &at, size, s->prot | AS_MAP_COPY_ON_WRITE, &img->as, lo);
            if (FAILED(sc))
                as_deallocate(space, lo, size);
        }
        if (FAILED(sc)) {
            unmap_first(img, space, i);
            return map_error(sc);
        }
    }
    return S_OK;
}

void image_unmap(struct image *img, struct as *space)
{
    unmap_first(img, space, img->elf.nsegments);
}

void image_each(void (*fn)(struct image *img, void *arg), void *arg)
{
    mutex_lock(&loader_lock);
    for (struct image *img = images; img; img = img->next)
        fn(img, arg);
    mutex_unlock(&loader_lock);
}
