// Directory listing: a cursor over a directory's live entries.
#include "fat_internal.h"

#include <string.h>

SCODE fat_opendir(struct fat_volume *vol, const char *path, struct fat_dir_cursor *cur)
{
    struct fat_entry e;
    SCODE sc = fat_lookup(vol, path, &e);
    if (FAILED(sc))
        return sc;
    if (!(e.attr & FAT_ATTR_DIR))
        return FS_E_NOT_DIR;
    sc = fat_check_chain(vol, &e); /* a loop past the end marker too */
    if (FAILED(sc))
        return sc;
    cur->vol = vol;
    cur->first = e.first;
    cur->index = 0;
    return S_OK;
}

SCODE fat_readdir(struct fat_dir_cursor *cur, struct fat_dirent *out)
{
    struct fat_found f;
    SCODE sc = fat_dir_next(cur->vol, cur->first, &cur->index, &f);
    if (sc == S_OK)
        memcpy(out, &f.d, sizeof *out);
    return sc;
}
