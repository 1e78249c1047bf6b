/* The IFileSystem object (idl/IFile.idl): one for the life of the service
 * (references are not counted); each call holds the volume's lock. */
#include "fat_internal.h"
#include "fs.h"

/* The open file PATH names, or NULL. */
static struct fat_file *open_file(const char *path)
{
    struct fat_entry e;
    return SUCCEEDED(fat_lookup(&fs_volume, path, &e)) ? fs_file_open_at(&e) : 0;
}

/* Another Open of a file open already: fat_open's checks, and the
 * truncation done on the shared node. */
static SCODE reopen(struct fat_file *open, uint32_t flags, struct fat_file *out)
{
    if ((flags & (FAT_O_CREATE | FAT_O_TRUNCATE)) && !(flags & FAT_O_WRITE))
        return FS_E_ACCESS;
    if ((flags & FAT_O_WRITE) && (open->ent.attr & FAT_ATTR_READ_ONLY))
        return FS_E_ACCESS;
    if (flags & FAT_O_TRUNCATE) {
        open->flags = FAT_O_WRITE;
        SCODE sc = fat_set_size(open, 0);
        if (FAILED(sc))
            return sc;
    }
    *out = *open;
    out->flags = flags;
    return S_OK;
}

static SCODE sys_query(IFileSystem *This, REFIID riid, void **ppv)
{
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_IFileSystem)) {
        *ppv = This;
        return S_OK;
    }
    *ppv = 0;
    return E_NOINTERFACE;
}

static SCODE sys_addref(IFileSystem *This)
{
    (void)This;
    return S_OK;
}

static SCODE sys_open(IFileSystem *This, const char *Path, uint32_t Flags, IFile **ppFile)
{
    (void)This;
    struct fat_file f;
    *ppFile = 0;
    fs_lock();
    struct fat_file *open = open_file(Path);
    SCODE sc = open ? reopen(open, Flags, &f) : fat_open(&fs_volume, Path, Flags, &f);
    if (SUCCEEDED(sc) && (Flags & FILE_TRUNCATE))
        fs_map_sweep();
    if (SUCCEEDED(sc) && !(*ppFile = fs_file_new(&f)))
        sc = E_OUTOFMEMORY;
    fs_unlock();
    return sc;
}

static SCODE sys_open_dir(IFileSystem *This, const char *Path, IDirectory **ppDir)
{
    (void)This;
    struct fat_dir_cursor cur;
    *ppDir = 0;
    fs_lock();
    SCODE sc = fat_opendir(&fs_volume, Path, &cur);
    fs_unlock();
    if (FAILED(sc))
        return sc;
    *ppDir = fs_dir_new(&cur);
    return *ppDir ? S_OK : E_OUTOFMEMORY;
}

void fs_stat_out(const struct fat_stat *st, FILE_STAT *out)
{
    *out = (FILE_STAT){.Size = st->size,
                       .Attributes = st->attr & FAT_ATTR_DIR ? FILE_ATTR_DIRECTORY : 0,
                       .Mode = st->attr,
                       .ModifyTime = (uint64_t)st->mdate << 16 | st->mtime};
}

static SCODE sys_stat(IFileSystem *This, const char *Path, FILE_STAT *pStat)
{
    (void)This;
    struct fat_stat st;
    fs_lock();
    SCODE sc = fat_stat(&fs_volume, Path, &st);
    fs_unlock();
    if (SUCCEEDED(sc))
        fs_stat_out(&st, pStat);
    return sc;
}

/* A change to the volume, flushed before the call returns. */
static SCODE flushed(SCODE sc)
{
    SCODE f = fat_flush(&fs_volume);
    fs_unlock();
    return FAILED(sc) ? sc : f;
}

static SCODE sys_mkdir(IFileSystem *This, const char *Path)
{
    (void)This;
    fs_lock();
    return flushed(fat_mkdir(&fs_volume, Path));
}

static SCODE sys_remove(IFileSystem *This, const char *Path)
{
    (void)This;
    fs_lock();
    struct fat_file *open = open_file(Path);
    uint32_t first;
    SCODE sc = open ? fat_unlink(&fs_volume, Path, &first) : fat_remove(&fs_volume, Path);
    if (SUCCEEDED(sc) && open)
        open->detached = 1; /* its clusters go at its last close */
    fs_map_sweep();
    return flushed(sc);
}

static SCODE sys_info(IFileSystem *This, FS_INFO *pInfo)
{
    (void)This;
    struct fat_statfs st;
    fs_lock();
    SCODE sc = fat_statfs(&fs_volume, &st);
    fs_unlock();
    if (SUCCEEDED(sc))
        *pInfo = (FS_INFO){.TotalBytes = (uint64_t)st.clusters * st.cluster_bytes,
                           .FreeBytes = (uint64_t)st.free_clusters * st.cluster_bytes,
                           .ClusterBytes = st.cluster_bytes,
                           .Type = st.type};
    return sc;
}

static SCODE sys_rename(IFileSystem *This, const char *From, const char *To)
{
    (void)This;
    fs_lock();
    struct fat_file *open = open_file(From);
    struct fat_entry moved;
    SCODE sc = fat_rename(&fs_volume, From, To);
    if (SUCCEEDED(sc) && open && SUCCEEDED(fat_lookup(&fs_volume, To, &moved))) {
        open->ent.lba = moved.lba; /* an open file follows its entry */
        open->ent.off = moved.off;
        open->ent.parent = moved.parent;
    }
    return flushed(sc);
}

static const struct IFileSystemVtbl vtbl = {sys_query,    sys_addref, sys_addref, sys_open,
                                            sys_open_dir, sys_stat,   sys_mkdir,  sys_remove,
                                            sys_rename,   sys_info};
static IFileSystem fs = {&vtbl};

IFileSystem *fs_system(void)
{
    return &fs;
}
