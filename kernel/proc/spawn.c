/* process_spawn: a process from a program of the boot archive (the ustar
 * archive linked into the kernel image, apps/bootfs.S). */
#include <kernel/loader/bootfs.h>
#include <kernel/proc/process.h>
#include <stddef.h>

SCODE process_spawn_with(const char *name, int argc, const char *const *argv, IUnknown *extra,
                         const IID *iid, struct process **out)
{
    struct bootfs_entry e;
    SCODE sc = bootfs_find(bootfs_start, (size_t)(bootfs_end - bootfs_start), name, &e);
    if (FAILED(sc))
        return sc;
    if (!e.regular)
        return E_INVALIDARG;
    return process_create(name, e.data, e.size, argc, argv, extra, iid, out);
}

SCODE process_spawn(const char *name, int argc, const char *const *argv, struct process **out)
{
    return process_spawn_with(name, argc, argv, 0, 0, out);
}

int process_split_args(char *args, const char **argv, int max)
{
    int argc = 0;
    for (char *s = args; *s && argc < max;) {
        while (*s == ' ')
            *s++ = '\0';
        if (*s)
            argv[argc++] = s;
        while (*s && *s != ' ')
            s++;
    }
    return argc;
}
