/* IDirectory objects (idl/IFile.idl): a listing cursor per OpenDirectory,
 * malloc'd, with counted references. Names longer than DIR_ENTRY's are
 * cut (at a whole UTF-8 character). Each call holds the volume's lock. */
#include <stdlib.h>
#include <string.h>

#include "fs.h"

struct dir {
    IDirectory iface; /* first: the object is its interface */
    uint32_t refs;
    struct fat_dir_cursor cur;
    uint32_t start; /* the cursor's first index, for Rewind */
};

static SCODE dir_query(IDirectory *This, REFIID riid, void **ppv)
{
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_IDirectory)) {
        IDirectory_AddRef(This);
        *ppv = This;
        return S_OK;
    }
    *ppv = 0;
    return E_NOINTERFACE;
}

static SCODE dir_addref(IDirectory *This)
{
    __atomic_add_fetch(&((struct dir *)This)->refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static SCODE dir_release(IDirectory *This)
{
    struct dir *o = (struct dir *)This;
    if (!__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL))
        free(o);
    return S_OK;
}

static void entry_out(const struct fat_dirent *d, DIR_ENTRY *out)
{
    size_t n = strlen(d->name);
    if (n >= sizeof out->Name) {
        n = sizeof out->Name - 1;
        while (n && ((unsigned char)d->name[n] & 0xc0) == 0x80)
            n--; /* not inside a character */
    }
    memset(out, 0, sizeof *out);
    memcpy(out->Name, d->name, n);
    out->Attributes = d->attr & FAT_ATTR_DIR ? FILE_ATTR_DIRECTORY : 0;
    out->Size = d->size;
}

static SCODE dir_read(IDirectory *This, uint32_t Count, DIR_ENTRY *pEntries, uint32_t *pRead)
{
    struct dir *o = (struct dir *)This;
    struct fat_dirent d;
    SCODE sc = S_OK;
    *pRead = 0;
    fs_lock();
    while (*pRead < Count && (sc = fat_readdir(&o->cur, &d)) == S_OK)
        entry_out(&d, &pEntries[(*pRead)++]);
    fs_unlock();
    return FAILED(sc) ? sc : S_OK;
}

static SCODE dir_rewind(IDirectory *This)
{
    struct dir *o = (struct dir *)This;
    fs_lock();
    o->cur.index = o->start;
    fs_unlock();
    return S_OK;
}

static const struct IDirectoryVtbl vtbl = {dir_query, dir_addref, dir_release, dir_read,
                                           dir_rewind};

IDirectory *fs_dir_new(const struct fat_dir_cursor *cur)
{
    struct dir *o = malloc(sizeof *o);
    if (!o)
        return 0;
    *o = (struct dir){.iface = {&vtbl}, .refs = 1, .cur = *cur, .start = cur->index};
    return &o->iface;
}
