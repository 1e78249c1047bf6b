/* The shell's file commands (see files.h). Each reports a failure as
 * "CMD: PATH: failed (CODE)" with the service's FS_E_* code. */
#include "files.h"
#include <IFile.h>
#include <rialto.h>
#include <stdio.h>
#include <string.h>

#define LIST_BATCH 4 /* directory entries a call brings */
#define CHUNK      512

/* The service, looked up again until it is there (no disk: no "fs"). */
static IFileSystem *fs(void)
{
    static IFileSystem *found;
    if (!found &&
        FAILED(INameService_Lookup(NameService(), "fs", &IID_IFileSystem, (void **)&found))) {
        printf("no file system (the machine has no disk, or fs did not start)\n");
        found = NULL;
    }
    return found;
}

static void failed(const char *cmd, const char *path, SCODE sc)
{
    printf("%s: %s: failed (%#x)\n", cmd, path, (unsigned)sc);
}

/* args split at its first blank: the rest, or "" */
static char *second_word(char *args)
{
    while (*args && *args != ' ')
        args++;
    if (*args)
        *args++ = '\0';
    while (*args == ' ')
        args++;
    return args;
}

static void list(IDirectory *d)
{
    DIR_ENTRY e[LIST_BATCH];
    uint32_t n;
    while (SUCCEEDED(IDirectory_ReadEntries(d, LIST_BATCH, e, &n)) && n) {
        for (uint32_t i = 0; i < n; i++) {
            if (e[i].Attributes & FILE_ATTR_DIRECTORY)
                printf("  %-32s %10s\n", e[i].Name, "<dir>");
            else
                printf("  %-32s %10lu\n", e[i].Name, (unsigned long)e[i].Size);
        }
    }
}

void cmd_ls(char *args)
{
    IFileSystem *f = fs();
    IDirectory *d;
    const char *path = *args ? args : "/";
    SCODE sc = f ? IFileSystem_OpenDirectory(f, path, &d) : S_FALSE;
    if (FAILED(sc))
        failed("ls", path, sc);
    if (sc != S_OK)
        return;
    list(d);
    IDirectory_Release(d);
}

void cmd_cat(char *args)
{
    IFileSystem *f = fs();
    IFile *file;
    SCODE sc = f ? IFileSystem_Open(f, args, FILE_READ, &file) : S_FALSE;
    if (FAILED(sc))
        failed("cat", args, sc);
    if (sc != S_OK)
        return;
    char buf[CHUNK];
    uint32_t n;
    while (SUCCEEDED(sc = IFile_Read(file, sizeof buf, (uint8_t *)buf, &n)) && n)
        for (uint32_t i = 0; i < n; i++)
            putchar(buf[i]);
    if (FAILED(sc))
        failed("cat", args, sc);
    IFile_Release(file);
}

void cmd_write(char *args)
{
    char *text = second_word(args);
    IFileSystem *f = fs();
    IFile *file;
    uint32_t flags = FILE_READ | FILE_WRITE | FILE_CREATE | FILE_TRUNCATE, n;
    SCODE sc = f ? IFileSystem_Open(f, args, flags, &file) : S_FALSE;
    if (sc == S_OK) {
        size_t len = strlen(text);
        text[len] = '\n'; /* the line's own terminator makes room for it */
        sc = IFile_Write(file, (uint32_t)len + 1, (const uint8_t *)text, &n);
        text[len] = '\0';
        if (SUCCEEDED(sc))
            sc = IFile_Flush(file);
        IFile_Release(file);
    }
    if (FAILED(sc))
        failed("write", args, sc);
}

void cmd_mkdir(char *args)
{
    IFileSystem *f = fs();
    SCODE sc = f ? IFileSystem_MakeDirectory(f, args) : S_OK;
    if (FAILED(sc))
        failed("mkdir", args, sc);
}

void cmd_rm(char *args)
{
    IFileSystem *f = fs();
    SCODE sc = f ? IFileSystem_Remove(f, args) : S_OK;
    if (FAILED(sc))
        failed("rm", args, sc);
}

void cmd_mv(char *args)
{
    char *to = second_word(args);
    IFileSystem *f = fs();
    SCODE sc = !*to ? E_INVALIDARG : f ? IFileSystem_Rename(f, args, to) : S_OK;
    if (FAILED(sc))
        failed("mv", args, sc);
}

void cmd_df(char *args)
{
    (void)args;
    IFileSystem *f = fs();
    FS_INFO in;
    SCODE sc = f ? IFileSystem_GetInfo(f, &in) : S_FALSE;
    if (FAILED(sc))
        failed("df", "/", sc);
    if (sc != S_OK)
        return;
    unsigned long used = (unsigned long)((in.TotalBytes - in.FreeBytes) / 1024);
    printf("  FAT%u, %lu KiB in %u-byte clusters: %lu KiB used, %lu KiB free\n", (unsigned)in.Type,
           (unsigned long)(in.TotalBytes / 1024), (unsigned)in.ClusterBytes, used,
           (unsigned long)(in.FreeBytes / 1024));
}
