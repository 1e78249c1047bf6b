/* IFile objects (idl/IFile.idl): one per Open, malloc'd, with counted
 * references; the last Release flushes and frees it. Each call holds the
 * volume's lock. */
#include <stdlib.h>

#include "fs.h"

struct file {
    IFile iface; /* first: the object is its interface */
    uint32_t refs;
    struct fat_file f;
};

static SCODE file_query(IFile *This, REFIID riid, void **ppv)
{
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_IFile)) {
        IFile_AddRef(This);
        *ppv = This;
        return S_OK;
    }
    *ppv = 0;
    return E_NOINTERFACE;
}

static SCODE file_addref(IFile *This)
{
    __atomic_add_fetch(&((struct file *)This)->refs, 1, __ATOMIC_RELAXED);
    return S_OK;
}

static SCODE file_release(IFile *This)
{
    struct file *o = (struct file *)This;
    if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL))
        return S_OK;
    fs_lock();
    SCODE sc = fat_file_flush(&o->f);
    fs_unlock();
    free(o);
    return sc;
}

static SCODE file_read(IFile *This, uint32_t Size, uint8_t *pBuffer, uint32_t *pRead)
{
    *pRead = 0;
    if (Size > FILE_MAX_IO)
        return FS_E_IO_TOO_BIG;
    fs_lock();
    SCODE sc = fat_read(&((struct file *)This)->f, pBuffer, Size, pRead);
    fs_unlock();
    return sc;
}

static SCODE file_write(IFile *This, uint32_t Size, const uint8_t *pBuffer, uint32_t *pWritten)
{
    *pWritten = 0;
    if (Size > FILE_MAX_IO)
        return FS_E_IO_TOO_BIG;
    struct fat_file *f = &((struct file *)This)->f;
    fs_lock();
    uint32_t at = f->pos;
    SCODE sc = fat_write(f, pBuffer, Size, pWritten);
    fs_map_wrote(f, at, pBuffer, *pWritten);
    fs_unlock();
    return sc;
}

static SCODE file_seek(IFile *This, int64_t Offset, uint32_t Whence, uint64_t *pPosition)
{
    fs_lock();
    SCODE sc = fat_seek(&((struct file *)This)->f, Offset, Whence, pPosition);
    fs_unlock();
    return sc;
}

static SCODE file_stat(IFile *This, FILE_STAT *pStat)
{
    struct fat_stat st;
    fs_lock();
    SCODE sc = fat_file_stat(&((struct file *)This)->f, &st);
    fs_unlock();
    if (SUCCEEDED(sc))
        fs_stat_out(&st, pStat);
    return sc;
}

static SCODE file_set_size(IFile *This, uint64_t Size)
{
    struct fat_file *f = &((struct file *)This)->f;
    fs_lock();
    uint32_t first = f->ent.first;
    SCODE sc = fat_set_size(f, Size);
    if (SUCCEEDED(sc) && Size != f->ent.size)
        fs_map_forget(first);
    fs_unlock();
    return sc;
}

static SCODE file_flush(IFile *This)
{
    fs_lock();
    SCODE sc = fat_file_flush(&((struct file *)This)->f);
    fs_unlock();
    return sc;
}

static SCODE file_memory(IFile *This, IMemoryObject **ppObject)
{
    fs_lock();
    SCODE sc = fs_map_file(&((struct file *)This)->f, ppObject);
    fs_unlock();
    return sc;
}

static const struct IFileVtbl vtbl = {file_query, file_addref, file_release, file_read,
                                      file_write, file_seek,   file_stat,    file_set_size,
                                      file_flush, file_memory};

IFile *fs_file_new(const struct fat_file *f)
{
    struct file *o = malloc(sizeof *o);
    if (!o)
        return 0;
    *o = (struct file){.iface = {&vtbl}, .refs = 1, .f = *f};
    return &o->iface;
}
