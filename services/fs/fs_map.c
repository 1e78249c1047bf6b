/* Mapped files (paper 2.2's extension; issue 18): a file's contents as a
 * memory object. The service reads the whole file, up front, into pages
 * of its own space (the kernel's in the kernel placement), and hands out
 * a read-only view of them (IMemoryObject::RestrictedAccess). Every
 * IFile::GetMemoryObject of the same file gets the same view, so every
 * read-only mapping shares one set of frames; a copy-on-write mapping
 * copies a page at its first write and keeps it private.
 *
 * The pages follow the file: a Write through any IFile lands in them too
 * (mappers see it), and a file that changes size (SetSize, a truncating
 * Open, a Write past its end) or is removed loses its pages, so its
 * mappers then meet what a mapping of freed memory meets (an exception,
 * or zeros with AS_MAP_NO_EXCEPTION). At most
 * FS_MAPPED_FILES files hold pages at once; the least recently asked for
 * gives its up first. Called with the volume's lock held. */
#include <rialto.h>
#include <string.h>

#include "fat_internal.h"
#include "fs.h"

#define FS_MAPPED_FILES 8

struct mapped {
    uint32_t first, size; /* the file: its first cluster, its size */
    ADDRESS addr;         /* its pages in this space */
    ADDR_SIZE bytes;
    IMemoryObject *view;
    uint32_t used; /* when last asked for; 0: a free entry */
};

static struct mapped table[FS_MAPPED_FILES];
static uint32_t clock;

static ADDR_SIZE page_round(uint32_t n)
{
    ADDR_SIZE page, map;
    IAddressSpace_ReservationInformation(CurrentAddressSpace(), &page, &map);
    return (n + map - 1) / map * map;
}

static void drop(struct mapped *m)
{
    IMemoryObject_Release(m->view);
    IAddressSpace_Deallocate(CurrentAddressSpace(), m->addr, m->bytes);
    memset(m, 0, sizeof *m);
}

static struct mapped *find(uint32_t first)
{
    for (unsigned i = 0; i < FS_MAPPED_FILES; i++)
        if (table[i].used && table[i].first == first)
            return &table[i];
    return 0;
}

/* A free entry, or the least recently used one, dropped. */
static struct mapped *entry_for_new(void)
{
    struct mapped *oldest = &table[0];
    for (unsigned i = 0; i < FS_MAPPED_FILES; i++) {
        if (!table[i].used)
            return &table[i];
        if (table[i].used < oldest->used)
            oldest = &table[i];
    }
    drop(oldest);
    return oldest;
}

/* The whole file into fresh pages at m->addr, zeros after it (a fresh
 * page may hold what this space freed before). */
static SCODE fill(struct mapped *m, const struct fat_file *file)
{
    struct fat_file f = *file; /* its own position */
    uint32_t got;
    memset((uint8_t *)(uintptr_t)m->addr + m->size, 0, m->bytes - m->size);
    SCODE sc = fat_seek(&f, 0, FAT_SEEK_SET, 0);
    if (SUCCEEDED(sc))
        sc = fat_read(&f, (void *)(uintptr_t)m->addr, m->size, &got);
    return SUCCEEDED(sc) && got != m->size ? FS_E_CORRUPT : sc;
}

static SCODE make(struct mapped *m, const struct fat_file *f)
{
    IMemoryObject *whole;
    *m = (struct mapped){.first = f->ent.first, .size = f->ent.size};
    m->bytes = page_round(m->size);
    SCODE sc = IAddressSpace_Allocate(CurrentAddressSpace(), &m->addr, m->bytes,
                                      AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE);
    if (FAILED(sc))
        return sc;
    sc = fill(m, f);
    if (SUCCEEDED(sc))
        sc = IAddressSpace_QueryInterface(CurrentAddressSpace(), &IID_IMemoryObject,
                                          (void **)&whole);
    if (SUCCEEDED(sc)) {
        sc = IMemoryObject_RestrictedAccess(whole, m->addr, m->bytes, AS_PROT_READ, &m->view);
        IMemoryObject_Release(whole);
    }
    if (FAILED(sc)) {
        IAddressSpace_Deallocate(CurrentAddressSpace(), m->addr, m->bytes);
        memset(m, 0, sizeof *m);
    }
    return sc;
}

SCODE fs_map_file(const struct fat_file *f, IMemoryObject **out)
{
    *out = 0;
    if (!f->ent.first || !f->ent.size)
        return FS_E_EMPTY;
    struct mapped *m = find(f->ent.first);
    if (m && m->size != f->ent.size)
        drop(m), m = 0;
    if (!m) {
        m = entry_for_new();
        SCODE sc = make(m, f);
        if (FAILED(sc))
            return sc;
    }
    m->used = ++clock;
    IMemoryObject_AddRef(m->view);
    *out = m->view;
    return S_OK;
}

void fs_map_wrote(const struct fat_file *f, uint32_t at, const void *data, uint32_t n)
{
    struct mapped *m = f->ent.first ? find(f->ent.first) : 0;
    if (!m)
        return;
    if (m->size != f->ent.size) {
        drop(m);
        return;
    }
    if (at < m->size)
        memcpy((uint8_t *)(uintptr_t)m->addr + at, data, n < m->size - at ? n : m->size - at);
}

void fs_map_forget(uint32_t first)
{
    struct mapped *m = first ? find(first) : 0;
    if (m)
        drop(m);
}

void fs_map_sweep(void)
{
    for (unsigned i = 0; i < FS_MAPPED_FILES; i++) {
        uint32_t next;
        if (table[i].used && (FAILED(fat_get(&fs_volume, table[i].first, &next)) || !next))
            drop(&table[i]);
    }
}
