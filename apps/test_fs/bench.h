/* test_fs's benchmark modes (bench.c). */
#ifndef APPS_TEST_FS_BENCH_H
#define APPS_TEST_FS_BENCH_H

#include <IFile.h>

/* MODE read, over, new or none on PATH; 0 when it all worked. */
int bench_fs(IFileSystem *fs, const char *mode, const char *path);

#endif
