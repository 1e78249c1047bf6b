/* The IFileSystem object (idl/IFile.idl): one for the life of the service
 * (references are not counted); each call holds the volume's lock. */
#include "fs.h"

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
    SCODE sc = fat_open(&fs_volume, Path, Flags, &f);
    if (Flags & FILE_TRUNCATE)
        fs_map_sweep();
    fs_unlock();
    if (FAILED(sc))
        return sc;
    *ppFile = fs_file_new(&f);
    return *ppFile ? S_OK : E_OUTOFMEMORY;
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
    SCODE sc = fat_remove(&fs_volume, Path);
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
    return flushed(fat_rename(&fs_volume, From, To));
}

static const struct IFileSystemVtbl vtbl = {sys_query,    sys_addref, sys_addref, sys_open,
                                            sys_open_dir, sys_stat,   sys_mkdir,  sys_remove,
                                            sys_rename,   sys_info};
static IFileSystem fs = {&vtbl};

IFileSystem *fs_system(void)
{
    return &fs;
}
