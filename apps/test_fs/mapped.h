/* test_fs's mapped-file checks (mapped.c). */
#ifndef APPS_TEST_FS_MAPPED_H
#define APPS_TEST_FS_MAPPED_H

#include <IFile.h>

void test_mapped(IFileSystem *fs);
void test_mapped_empty(IFileSystem *fs);
void test_open_twice(IFileSystem *fs);

#endif
