/* test_fs's benchmark modes (test/fs/guest/bench.c times them): a 1 MiB
 * file read or written in calls of FILE_MAX_IO (32 KiB; Linux's figures
 * in issue 18 were taken with read() in 64 KiB pieces, write then fsync).
 *   bench read PATH   read PATH to its end
 *   bench over PATH   write 1 MiB over PATH from its start, then Flush
 *   bench new PATH    create PATH, write 1 MiB, then Flush
 *   bench none PATH   open PATH and release it (the baseline)
 * Exit 0 when every call succeeded and the sizes add up. */
#include <IFile.h>
#include <rialto.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define PIECE FILE_MAX_IO
#define TOTAL (1024 * 1024)

static uint8_t piece[PIECE];

static int read_to_end(IFile *f)
{
    uint32_t got, total = 0;
    do {
        if (FAILED(IFile_Read(f, PIECE, piece, &got)))
            return 1;
        total += got;
    } while (got);
    return total == TOTAL ? 0 : 1;
}

static int failed(const char *what, SCODE sc)
{
    printf("test_fs bench: %s: %#x\n", what, (unsigned)sc);
    return 1;
}

static int write_and_flush(IFile *f)
{
    for (uint32_t at = 0; at < TOTAL;) {
        uint32_t put = 0;
        SCODE sc = IFile_Write(f, PIECE - at % PIECE, piece, &put);
        if (FAILED(sc) || !put)
            return failed("Write", sc);
        at += put;
    }
    SCODE sc = IFile_Flush(f);
    return FAILED(sc) ? failed("Flush", sc) : 0;
}

int bench_fs(IFileSystem *fs, const char *mode, const char *path)
{
    uint32_t flags = !strcmp(mode, "new")    ? FILE_WRITE | FILE_CREATE
                     : !strcmp(mode, "over") ? FILE_WRITE
                                             : FILE_READ;
    IFile *f;
    memset(piece, 0x5a, sizeof piece);
    SCODE sc = IFileSystem_Open(fs, path, flags, &f);
    if (FAILED(sc))
        return failed(path, sc);
    int rc = !strcmp(mode, "read")   ? read_to_end(f)
             : !strcmp(mode, "none") ? 0
                                     : write_and_flush(f);
    IFile_Release(f);
    return rc;
}
