/* The loader on a space of the test's own: an image and its imports go
 * in, each image once (rt.dll is shared with everyone else, the service's
 * image is new), and out again with every page and node back; what it
 * cannot map is refused with its own code and leaves nothing behind. */
#include <arch/mmu.h>
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/loader/loader.h>
#include <kernel/proc/process.h>
#include <kernel/string.h>
#include <kernel/vm/access.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/pmem.h>

static void count(struct image *img, void *arg)
{
    (void)img;
    ++*(unsigned *)arg;
}

static unsigned loaded_images(void)
{
    unsigned n = 0;
    image_each(count, &n);
    return n;
}

static SCODE load(struct as *space, const char *name, struct image_set *set)
{
    const void *data;
    size_t size;
    uintptr_t entry;
    SCODE sc = loader_find(name, &data, &size);
    return FAILED(sc) ? sc : loader_load(space, name, data, size, set, &entry);
}

static void load_and_unload(struct as *space)
{
    unsigned before = loaded_images();
    struct image_set set = {0};
    KT_ASSERT_EQ(load(space, "kv", &set), S_OK);
    KT_ASSERT_EQ(set.n, 2);
    KT_ASSERT(!strcmp(set.images[0]->name, "kv") && !strcmp(set.images[1]->name, "rt.dll"));
    KT_ASSERT_EQ(loaded_images(), before + 1); /* rt.dll was loaded already */
    unsigned rt_users = set.images[1]->users;
    /* a write to the service's data: a private copy in this space */
    const struct elf_segment *data = &set.images[0]->elf.segments[set.images[0]->elf.nsegments - 1];
    KT_ASSERT(data->prot & AS_PROT_WRITE);
    KT_ASSERT_EQ(as_write_through(space, data->vaddr, "x", 1), S_OK);
    KT_ASSERT(space->resident_pages >= 1);
    /* the same image again: its addresses are taken, nothing is added */
    struct image_set again = {0};
    KT_ASSERT_EQ(load(space, "kv", &again), LDR_E_ADDRESS_TAKEN);
    KT_ASSERT_EQ(again.n, 0);
    KT_ASSERT_EQ(set.images[0]->users, 1);
    /* a second program into the same set: its import is there already */
    KT_ASSERT_EQ(load(space, "hello", &set), S_OK);
    KT_ASSERT_EQ(set.n, 3);
    KT_ASSERT(!strcmp(set.images[2]->name, "hello"));
    struct image *rt = set.images[1];
    struct vm_page_stats st0, st1;
    vm_get_page_stats(&st0);
    size_t code_pages = set.images[0]->elf.segments[0].mem_size / PAGE_SIZE;
    loader_unload(space, &set);
    vm_get_page_stats(&st1);
    /* the images freed (kv, hello) gave their code back unerased (paper 2.1) */
    KT_ASSERT(st1.pages_freed_noerase - st0.pages_freed_noerase > code_pages);
    KT_ASSERT_EQ(set.n, 0);
    KT_ASSERT_EQ(loaded_images(), before); /* kv and hello were this space's alone */
    KT_ASSERT_EQ(rt->users, rt_users - 1);
    KT_ASSERT_EQ(space->reserved_pages, 0);
    KT_ASSERT_EQ(space->resident_pages, 0);
}

KTEST(loader_unload_returns_every_page)
{
    struct as space;
    as_init(&space, "loader test", USER_BASE, USER_END, &kernel_heap);
    load_and_unload(&space);
    as_destroy(&space);
}

/* rt.dll's import note, found by its text, renamed to a DLL the boot
 * archive does not have. */
static bool rename_import(uint8_t *image, size_t size)
{
    for (size_t i = 0; i + 7 <= size; i++)
        if (!memcmp(image + i, "rt.dll", 7)) {
            memcpy(image + i, "no.dll", 7);
            return true;
        }
    return false;
}

KTEST(loader_missing_import_fails_and_leaves_nothing)
{
    const void *data;
    size_t size;
    KT_ASSERT_EQ(loader_find("hello", &data, &size), S_OK);
    size_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    paddr_t run = pmem_alloc_run(pages);
    KT_ASSERT(run != PADDR_NONE);
    uint8_t *copy = phys_to_virt(run);
    memcpy(copy, data, size);
    unsigned before = loaded_images();
    struct process *p = 0;
    SCODE sc = rename_import(copy, size) ? process_create("hello", copy, size, 1,
                                                          (const char *const[]){"hello"}, 0, 0, &p)
                                         : E_FAIL;
    pmem_free_run(run, pages);
    KT_ASSERT_EQ(sc, BOOTFS_E_NOT_FOUND);
    KT_ASSERT(p == NULL);
    KT_ASSERT_EQ(loaded_images(), before);
}

/* A segment that cannot be mapped (its page is reserved already) fails
 * the whole image, and the segments mapped before it are gone again. */
KTEST(loader_partial_map_is_undone)
{
    struct as space;
    as_init(&space, "loader test", USER_BASE, USER_END, &kernel_heap);
    const void *data;
    size_t size;
    struct elf_image elf;
    KT_ASSERT_EQ(loader_find("kv", &data, &size), S_OK);
    KT_ASSERT_EQ(elf_parse(data, size, ARCH_ELF_MACHINE, USER_BASE, USER_END, &elf), S_OK);
    vaddr_t last = elf.segments[elf.nsegments - 1].vaddr & ~(vaddr_t)(PAGE_SIZE - 1);
    vaddr_t at = last;
    SCODE sc = as_reserve(&space, &at, PAGE_SIZE, 0);
    struct image_set set = {0};
    if (SUCCEEDED(sc))
        sc = load(&space, "kv", &set) == LDR_E_ADDRESS_TAKEN ? S_OK : E_FAIL;
    size_t reserved = space.reserved_pages;
    as_destroy(&space);
    KT_ASSERT_EQ(sc, S_OK);
    KT_ASSERT_EQ(set.n, 0);
    KT_ASSERT_EQ(reserved, 1); /* only the test's own page */
}

/* Every allocation the VM makes while loading kv and its import into a
 * space of the test's own fails in turn (vm_fail_allocation): each load
 * either succeeds or fails with E_OUTOFMEMORY, and unloading what the set
 * holds leaves the space empty and the image cache as it was. */
KTEST(loader_allocation_failures_leave_nothing)
{
    unsigned before = loaded_images();
    unsigned failed = 0;
    for (unsigned long n = 1; n < 400; n++) {
        struct as space;
        as_init(&space, "loader test", USER_BASE, USER_END, &kernel_heap);
        struct image_set set = {0};
        vm_fail_allocation(n);
        SCODE sc = load(&space, "kv", &set);
        unsigned long ran = vm_fail_allocation(0);
        loader_unload(&space, &set);
        size_t reserved = space.reserved_pages;
        as_destroy(&space);
        KT_ASSERT(sc == S_OK || sc == E_OUTOFMEMORY);
        KT_ASSERT_EQ(reserved, 0);
        KT_ASSERT_EQ(loaded_images(), before);
        failed += sc != S_OK;
        if (ran < n) /* the n-th allocation never came: every one was tried */
            break;
    }
    KT_ASSERT(failed > 5);
}
