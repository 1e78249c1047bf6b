/* test_fs: the file system service's app test (services/fs). The same
 * program, the same calls, whichever placement fs has: it finds "fs" by
 * name and uses IFileSystem, IFile and IDirectory on the volume of the
 * test's FAT image, which holds HELLO.TXT (test/harness: fs_* tests).
 * Mode (argv[1]):
 *   all WHERE  every method and the errors, two threads at once; leaves
 *              "/written by the guest.txt" and the directory "/made by
 *              the guest" (" 2" on a second run) for the host; exit 0
 *              when all hold (WHERE, kernel|process, is for the log)
 *   bench OP PATH  a benchmark's run (bench.c)
 *   churn          creates, writes, renames and removes files for ever
 *              (test/fs/boot.c kills QEMU in the middle)
 *   late PATH TEXT writes TEXT to a new PATH and keeps it open, unflushed,
 *              for a minute: the write-back at a timeout must take it to
 *              the disk (test/fs/boot.c halts the machine meanwhile) */
#include <IFile.h>
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utest.h>

#include "bench.h"
#include "mapped.h"

#define DIR       "/A directory with a long name"
#define BASE      "a file with a rather long name.data"
#define FILE_NAME DIR "/" BASE
#define RENAMED   DIR "/renamed file.txt"
#define BIG       (100 * 1024)
#define HELLO     "hello from the host\n" /* test/harness/guest.c's */
#define LEFT      "written by the guest\n"
#define GUEST_DIR "made by the guest"
#define FAT_LONG  300 /* bytes: over FAT's 255 of a name */

static IFileSystem *fs;

static uint8_t pattern(uint32_t i, unsigned seed)
{
    return (uint8_t)(i * 31 + (i >> 9) + seed);
}

static bool is_pattern(const uint8_t *p, uint32_t at, uint32_t n, unsigned seed)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i] != pattern(at + i, seed))
            return false;
    return true;
}

static void hello(void)
{
    FILE_STAT st;
    IFile *f = 0;
    char buf[64];
    uint32_t n = 0;
    CHECK_EQ(IFileSystem_Stat(fs, "/HELLO.TXT", &st), S_OK);
    CHECK_EQ(st.Size, strlen(HELLO));
    CHECK_EQ(IFileSystem_Open(fs, "/hello.txt", FILE_READ, &f), S_OK); /* any case */
    if (!f)
        return;
    CHECK_EQ(IFile_Read(f, sizeof buf, (uint8_t *)buf, &n), S_OK);
    CHECK(n == strlen(HELLO) && !memcmp(buf, HELLO, n), "HELLO.TXT: %u bytes", (unsigned)n);
    CHECK_EQ(IFile_Write(f, 1, (const uint8_t *)"x", &n), FS_E_ACCESS);
    IFile_Release(f);
}

/* Writes BIG bytes of pattern seed in uneven pieces (each well under a
 * call's IPC_MAX_DATA); the number of bad calls. */
static int write_big(IFile *f, unsigned seed)
{
    static const uint32_t pieces[] = {1, 511, 4096, 8192, 30000, 513};
    uint8_t *buf = malloc(32 * 1024);
    int bad = !buf;
    for (uint32_t at = 0, k = 0; buf && at < BIG; k++) {
        uint32_t n = pieces[k % 6] < BIG - at ? pieces[k % 6] : BIG - at, put = 0;
        for (uint32_t i = 0; i < n; i++)
            buf[i] = pattern(at + i, seed);
        bad += IFile_Write(f, n, buf, &put) != S_OK || put != n;
        at += n;
    }
    free(buf);
    return bad;
}

/* Reads the whole file back from the start; the number of bad calls. */
static int read_big(IFile *f, unsigned seed)
{
    uint8_t *buf = malloc(16 * 1024);
    uint64_t pos = 1;
    uint32_t got = 0, at = 0;
    int bad = !buf || IFile_Seek(f, 0, SEEK_FROM_START, &pos) != S_OK || pos != 0;
    while (buf && IFile_Read(f, 16 * 1024, buf, &got) == S_OK && got) {
        bad += !is_pattern(buf, at, got, seed);
        at += got;
    }
    free(buf);
    return bad + (at != BIG);
}

static void seek_and_size(IFile *f)
{
    uint8_t buf[10];
    uint64_t pos = 0;
    uint32_t got = 0;
    FILE_STAT st;
    CHECK_EQ(IFile_Seek(f, -100, SEEK_FROM_END, &pos), S_OK);
    CHECK_EQ(pos, BIG - 100);
    CHECK_EQ(IFile_Seek(f, 50000, SEEK_FROM_START, &pos), S_OK);
    CHECK_EQ(IFile_Read(f, sizeof buf, buf, &got), S_OK);
    CHECK(got == sizeof buf && is_pattern(buf, 50000, got, 1), "at 50000: %u", (unsigned)got);
    CHECK_EQ(IFile_Seek(f, -1, SEEK_FROM_START, &pos), FS_E_BAD_SEEK);
    CHECK_EQ(IFile_Stat(f, &st), S_OK);
    CHECK_EQ(st.Size, BIG);
    CHECK_EQ(st.Attributes, 0);
    CHECK_EQ(IFile_SetSize(f, 4096), S_OK);
    CHECK_EQ(IFile_Stat(f, &st), S_OK);
    CHECK_EQ(st.Size, 4096);
    CHECK_EQ(IFile_Seek(f, 4090, SEEK_FROM_START, &pos), S_OK);
    CHECK_EQ(IFile_Read(f, sizeof buf, buf, &got), S_OK);
    CHECK(got == 6 && is_pattern(buf, 4090, 6, 1), "past the new end: %u", (unsigned)got);
    CHECK_EQ(IFile_Flush(f), S_OK);
}

static void big_file(void)
{
    IFile *f = 0, *again = 0;
    CHECK_EQ(IFileSystem_MakeDirectory(fs, DIR), S_OK);
    CHECK_EQ(IFileSystem_MakeDirectory(fs, DIR), FS_E_EXISTS);
    CHECK_EQ(IFileSystem_Open(fs, FILE_NAME, FILE_READ | FILE_WRITE | FILE_CREATE, &f), S_OK);
    if (!f)
        return;
    CHECK_EQ(write_big(f, 1), 0);
    CHECK_EQ(read_big(f, 1), 0);
    seek_and_size(f);
    /* references are counted: a second one keeps the file open */
    CHECK_EQ(IFile_QueryInterface(f, &IID_IFile, (void **)&again), S_OK);
    IFile_Release(f);
    FILE_STAT st;
    CHECK_EQ(again ? IFile_Stat(again, &st) : E_FAIL, S_OK);
    if (again)
        IFile_Release(again);
}

static void listing(void)
{
    IDirectory *d = 0;
    DIR_ENTRY e[4];
    uint32_t n = 0, seen = 0, files = 0;
    CHECK_EQ(IFileSystem_OpenDirectory(fs, DIR, &d), S_OK);
    if (!d)
        return;
    for (int round = 0; round < 2; round++, IDirectory_Rewind(d))
        while (IDirectory_ReadEntries(d, 4, e, &n) == S_OK && n)
            for (uint32_t i = 0; i < n; i++, seen++)
                files += !strcmp(e[i].Name, BASE) && e[i].Size == 4096 && e[i].Attributes == 0;
    CHECK_EQ(files, 2); /* once each round */
    CHECK(seen >= 2, "%u entries", (unsigned)seen);
    IDirectory_Release(d);
}

static void rename_remove(void)
{
    FILE_STAT st;
    CHECK_EQ(IFileSystem_Rename(fs, FILE_NAME, RENAMED), S_OK);
    CHECK_EQ(IFileSystem_Stat(fs, FILE_NAME, &st), FS_E_NOT_FOUND);
    CHECK_EQ(IFileSystem_Stat(fs, RENAMED, &st), S_OK);
    CHECK_EQ(st.Size, 4096);
    CHECK_EQ(IFileSystem_Stat(fs, DIR, &st), S_OK);
    CHECK_EQ(st.Attributes, FILE_ATTR_DIRECTORY);
    CHECK_EQ(IFileSystem_Remove(fs, DIR), FS_E_NOT_EMPTY);
    CHECK_EQ(IFileSystem_Remove(fs, RENAMED), S_OK);
    CHECK_EQ(IFileSystem_Remove(fs, DIR), S_OK);
    CHECK_EQ(IFileSystem_Stat(fs, DIR, &st), FS_E_NOT_FOUND);
}

/* More than FILE_MAX_IO in one call: the same error in both placements. */
static void too_big(void)
{
    static uint8_t buf[FILE_MAX_IO + 1];
    IFile *f;
    uint32_t n = 0; /* [out] values after a failure are not defined (COM) */
    SCODE sc = IFileSystem_Open(fs, "/HELLO.TXT", FILE_READ, &f);
    CHECK_EQ(sc, S_OK);
    if (FAILED(sc))
        return;
    CHECK_EQ(IFile_Read(f, FILE_MAX_IO + 1, buf, &n), FS_E_IO_TOO_BIG);
    CHECK_EQ(IFile_Read(f, FILE_MAX_IO, buf, &n), S_OK);
    CHECK_EQ(n, strlen(HELLO));
    IFile_Release(f);
    CHECK_EQ(IFileSystem_Open(fs, "/too big.txt", FILE_WRITE | FILE_CREATE, &f), S_OK);
    CHECK_EQ(IFile_Write(f, FILE_MAX_IO + 1, buf, &n), FS_E_IO_TOO_BIG);
    IFile_Release(f);
    CHECK_EQ(IFileSystem_Remove(fs, "/too big.txt"), S_OK);
}

static void errors(void)
{
    IFile *f = 0;
    IDirectory *d = 0;
    CHECK_EQ(IFileSystem_Open(fs, "/missing.txt", FILE_READ, &f), FS_E_NOT_FOUND);
    CHECK_EQ(IFileSystem_Open(fs, "/no dir/x", FILE_WRITE | FILE_CREATE, &f), FS_E_NOT_FOUND);
    CHECK_EQ(IFileSystem_Open(fs, "/a*b", FILE_WRITE | FILE_CREATE, &f), FS_E_BAD_NAME);
    CHECK_EQ(IFileSystem_MakeDirectory(fs, "/what?"), FS_E_BAD_NAME);
    CHECK_EQ(IFileSystem_Remove(fs, "/missing.txt"), FS_E_NOT_FOUND);
    CHECK_EQ(IFileSystem_Rename(fs, "/missing.txt", "/other.txt"), FS_E_NOT_FOUND);
    CHECK_EQ(IFileSystem_OpenDirectory(fs, "/HELLO.TXT", &d), FS_E_NOT_DIR);
    static char longest[FAT_LONG + 2];
    longest[0] = '/';
    memset(longest + 1, 'a', FAT_LONG); /* a component of 300 bytes */
    CHECK_EQ(IFileSystem_Open(fs, longest, FILE_WRITE | FILE_CREATE, &f), FS_E_NAME_TOO_LONG);
    CHECK_EQ(IFileSystem_MakeDirectory(fs, ""), FS_E_BAD_NAME);
    CHECK(f == 0 && d == 0, "no object on failure");
    too_big();
}

/* Each thread writes, reads back and removes its own file: the volume's
 * lock holds on the clients' threads (kernel) or the pool's (process). */
static int worker(void *arg)
{
    char name[32];
    unsigned seed = 7 + (unsigned)(uintptr_t)arg;
    IFile *f = 0;
    snprintf(name, sizeof name, "/thread %u.bin", seed);
    if (IFileSystem_Open(fs, name, FILE_READ | FILE_WRITE | FILE_CREATE | FILE_TRUNCATE, &f))
        return 100;
    int bad = write_big(f, seed) + read_big(f, seed);
    IFile_Release(f);
    return bad + (IFileSystem_Remove(fs, name) != S_OK);
}

/* A file for the host to find in the image after the run. */
static void leave_a_file(void)
{
    IFile *f = 0;
    uint32_t n = 0;
    CHECK_EQ(IFileSystem_Open(fs, "/written by the guest.txt",
                              FILE_WRITE | FILE_CREATE | FILE_TRUNCATE, &f),
             S_OK);
    if (!f)
        return;
    CHECK_EQ(IFile_Write(f, strlen(LEFT), (const uint8_t *)LEFT, &n), S_OK);
    CHECK_EQ(n, strlen(LEFT));
    CHECK_EQ(IFile_Release(f), S_OK); /* the last reference: flushed */
    /* last, so only MakeDirectory's own flush takes it to the disk */
    SCODE sc = IFileSystem_MakeDirectory(fs, "/" GUEST_DIR);
    if (sc == FS_E_EXISTS) /* the second run: its own, so that nothing flushes it after */
        sc = IFileSystem_MakeDirectory(fs, "/" GUEST_DIR " 2");
    CHECK_EQ(sc, S_OK);
}

static int churn(void)
{
    static uint8_t buf[9000];
    char name[64], other[64];
    IFileSystem_MakeDirectory(fs, "/churn");
    for (unsigned i = 0;; i++) {
        IFile *f = 0;
        uint32_t n;
        snprintf(name, sizeof name, "/churn/file number %u.bin", i % 40);
        memset(buf, (int)i, sizeof buf);
        if (SUCCEEDED(IFileSystem_Open(fs, name, FILE_WRITE | FILE_CREATE | FILE_TRUNCATE, &f))) {
            IFile_Write(f, 1000 + i % 8000, buf, &n);
            if (i % 3 == 0)
                IFile_Flush(f);
            IFile_Release(f);
        }
        snprintf(other, sizeof other, "/churn/moved %u.bin", i % 7);
        if (i % 5 == 0)
            IFileSystem_Rename(fs, name, other);
        if (i % 7 == 0)
            IFileSystem_Remove(fs, other);
    }
    return 0;
}

static int late(const char *path, const char *text)
{
    IFile *f = 0;
    uint32_t n = 0;
    SCODE sc = IFileSystem_Open(fs, path, FILE_WRITE | FILE_CREATE | FILE_TRUNCATE, &f);
    if (SUCCEEDED(sc))
        sc = IFile_Write(f, (uint32_t)strlen(text), (const uint8_t *)text, &n);
    printf("test_fs late: %s: %#x, %u bytes, not flushed\n", path, (unsigned)sc, (unsigned)n);
    IProcess_Sleep(CurrentProcess(), 60000);
    if (f)
        IFile_Release(f);
    return FAILED(sc);
}

int main(int argc, char **argv)
{
    SCODE sc = INameService_Lookup(NameService(), "fs", &IID_IFileSystem, (void **)&fs);
    if (FAILED(sc)) {
        printf("test_fs: no fs service (%#x)\n", (unsigned)sc);
        return 2;
    }
    if (argc == 4 && !strcmp(argv[1], "bench"))
        return bench_fs(fs, argv[2], argv[3]);
    if (argc == 2 && !strcmp(argv[1], "churn"))
        return churn();
    if (argc == 4 && !strcmp(argv[1], "late"))
        return late(argv[2], argv[3]);
    if (argc < 2 || strcmp(argv[1], "all"))
        return 3;
    hello();
    big_file();
    listing();
    rename_remove();
    errors();
    test_mapped(fs);
    test_mapped_empty(fs);
    test_open_twice(fs);
    utest_threads(worker, 2);
    leave_a_file();
    printf("test_fs: %d failures (fs %s)\n", utest_failures, argc > 2 ? argv[2] : "?");
    IFileSystem_Release(fs);
    return utest_failures ? 1 : 0;
}
