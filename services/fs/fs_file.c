/* IFile objects (idl/IFile.idl): one per Open, malloc'd, with counted
 * references; the last Release flushes and frees it. Each call holds the
 * volume's lock. */
#include <stdlib.h>

#include "fs.h"

/* One node per open file, shared by every IFile on it: the entry, the
 * chain and its cache, so that two writers grow one chain, not two. Each
 * IFile has its own position and open flags, lent to the node for the
 * length of a call. A node whose name is removed while open is detached:
 * its clusters go at its last close (POSIX's unlink of an open file). */
struct node {
    struct fat_file f;
    uint32_t opens;
    struct node *next;
};

struct file {
    IFile iface; /* first: the object is its interface */
    uint32_t refs;
    struct node *node;
    uint32_t pos, flags;
};

static struct node *nodes; /* under the volume's lock */

struct fat_file *fs_file_open_at(const struct fat_entry *e)
{
    for (struct node *n = nodes; n; n = n->next)
        if (!n->f.detached && n->f.ent.lba == e->lba && n->f.ent.off == e->off)
            return &n->f;
    return 0;
}

/* The node's file with this IFile's position and flags, for one call. */
static struct fat_file *enter(struct file *o)
{
    o->node->f.pos = o->pos;
    o->node->f.flags = o->flags;
    return &o->node->f;
}

static void leave(struct file *o)
{
    o->pos = o->node->f.pos;
}

/* The last IFile on the node went: flush, and a detached file's clusters
 * go. */
static SCODE close_node(struct node *n)
{
    struct node **p = &nodes;
    SCODE sc = fat_file_flush(&n->f);
    if (n->f.detached)
        fs_map_forget(n->f.ent.first);
    SCODE gone = fat_file_discard(&n->f);
    if (SUCCEEDED(gone) && n->f.detached)
        gone = fat_file_flush(&n->f);
    while (*p != n)
        p = &(*p)->next;
    *p = n->next;
    free(n);
    return FAILED(sc) ? sc : gone;
}

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
    SCODE sc = --o->node->opens ? fat_file_flush(&o->node->f) : close_node(o->node);
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
    SCODE sc = fat_read(enter((struct file *)This), pBuffer, Size, pRead);
    leave((struct file *)This);
    fs_unlock();
    return sc;
}

static SCODE file_write(IFile *This, uint32_t Size, const uint8_t *pBuffer, uint32_t *pWritten)
{
    *pWritten = 0;
    if (Size > FILE_MAX_IO)
        return FS_E_IO_TOO_BIG;
    fs_lock();
    struct fat_file *f = enter((struct file *)This);
    uint32_t at = f->pos;
    SCODE sc = fat_write(f, pBuffer, Size, pWritten);
    fs_map_wrote(f, at, pBuffer, *pWritten);
    leave((struct file *)This);
    fs_unlock();
    return sc;
}

static SCODE file_seek(IFile *This, int64_t Offset, uint32_t Whence, uint64_t *pPosition)
{
    fs_lock();
    SCODE sc = fat_seek(enter((struct file *)This), Offset, Whence, pPosition);
    leave((struct file *)This);
    fs_unlock();
    return sc;
}

static SCODE file_stat(IFile *This, FILE_STAT *pStat)
{
    struct fat_stat st;
    fs_lock();
    SCODE sc = fat_file_stat(enter((struct file *)This), &st);
    fs_unlock();
    if (SUCCEEDED(sc))
        fs_stat_out(&st, pStat);
    return sc;
}

static SCODE file_set_size(IFile *This, uint64_t Size)
{
    fs_lock();
    struct fat_file *f = enter((struct file *)This);
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
    SCODE sc = fat_file_flush(enter((struct file *)This));
    fs_unlock();
    return sc;
}

static SCODE file_memory(IFile *This, IMemoryObject **ppObject)
{
    fs_lock();
    SCODE sc = fs_map_file(enter((struct file *)This), ppObject);
    fs_unlock();
    return sc;
}

static const struct IFileVtbl vtbl = {file_query, file_addref, file_release, file_read,
                                      file_write, file_seek,   file_stat,    file_set_size,
                                      file_flush, file_memory};

IFile *fs_file_new(const struct fat_file *f)
{
    struct file *o = malloc(sizeof *o);
    struct fat_file *open = fs_file_open_at(&f->ent);
    struct node *n = open ? (struct node *)open : malloc(sizeof *n);
    if (!o || !n) {
        free(o);
        if (!open)
            free(n);
        return 0;
    }
    if (!open) {
        *n = (struct node){.f = *f, .next = nodes};
        nodes = n;
    }
    n->opens++;
    *o = (struct file){.iface = {&vtbl}, .refs = 1, .node = n, .pos = 0, .flags = f->flags};
    return &o->iface;
}
