/* test_fs's mapped files (IFile::GetMemoryObject), and files opened twice: a file's contents
 * mapped read-only (shared, live with writes through IFile) and
 * copy-on-write (private), writable views refused, an empty file refused,
 * and a removed file's pages gone (zeros through a no-exception mapping). */
#include <IFile.h>
#include <rialto.h>
#include <string.h>
#include <utest.h>

#include "mapped.h"

#define MAPPED "/a mapped file.bin"
#define SIZE   10000 /* not a page multiple: the tail reads zeros */

static uint8_t at_(uint32_t i)
{
    return (uint8_t)(i * 7 + i / 251);
}

static IFile *make_file(IFileSystem *fs)
{
    static uint8_t buf[SIZE];
    IFile *f = 0;
    uint32_t put = 0;
    for (uint32_t i = 0; i < SIZE; i++)
        buf[i] = at_(i);
    CHECK_EQ(IFileSystem_Open(fs, MAPPED, FILE_READ | FILE_WRITE | FILE_CREATE | FILE_TRUNCATE, &f),
             S_OK);
    if (f)
        CHECK_EQ(IFile_Write(f, SIZE, buf, &put), S_OK);
    return f;
}

static ADDRESS map(IMemoryObject *mo, ADDR_SIZE bytes, ADDR_FLAGS flags, SCODE want)
{
    ADDRESS a = 0;
    CHECK_EQ(IAddressSpace_Map(CurrentAddressSpace(), &a, bytes, AS_ANYWHERE | flags, mo, 0), want);
    return a;
}

static bool holds_file(const uint8_t *p, ADDR_SIZE bytes)
{
    for (uint32_t i = 0; i < bytes; i++)
        if (p[i] != (i < SIZE ? at_(i) : 0))
            return false;
    return true;
}

void test_mapped(IFileSystem *fs)
{
    IFile *f = make_file(fs), *g = 0;
    IMemoryObject *mo = 0, *again = 0;
    ADDR_SIZE page, gran;
    IAddressSpace_ReservationInformation(CurrentAddressSpace(), &page, &gran);
    ADDR_SIZE bytes = (SIZE + gran - 1) / gran * gran;
    CHECK_EQ(f ? IFile_GetMemoryObject(f, &mo) : E_FAIL, S_OK);
    if (f)
        IFile_Release(f);
    CHECK_EQ(IFileSystem_Open(fs, MAPPED, FILE_READ, &g), S_OK);
    CHECK_EQ(g ? IFile_GetMemoryObject(g, &again) : E_FAIL, S_OK);
    if (g)
        IFile_Release(g);
    CHECK_EQ(IFileSystem_Open(fs, MAPPED, FILE_WRITE, &f), S_OK);
    if (!mo || !again || !f)
        return;
    uint8_t *ro = (uint8_t *)(uintptr_t)map(mo, bytes, AS_PROT_READ, S_OK);
    uint8_t *ro2 = (uint8_t *)(uintptr_t)map(again, bytes, AS_PROT_READ, S_OK);
    uint8_t *cow = (uint8_t *)(uintptr_t)map(
        mo, bytes, AS_PROT_READ | AS_PROT_WRITE | AS_MAP_COPY_ON_WRITE, S_OK);
    map(mo, bytes, AS_PROT_READ | AS_PROT_WRITE, VM_E_ACCESS_DENIED);
    map(mo, bytes + gran, AS_PROT_READ, VM_E_OUT_OF_RANGE);
    CHECK(ro && holds_file(ro, bytes), "the read-only mapping holds the file");
    CHECK(ro2 && holds_file(ro2, bytes), "so does a second one");
    CHECK(cow && holds_file(cow, bytes), "and the copy-on-write one");
    if (!ro || !ro2 || !cow)
        return;
    cow[5] = 0xEE; /* private: nobody else sees it */
    CHECK(ro[5] == at_(5) && ro2[5] == at_(5), "a private write leaked: %#x", ro[5]);
    uint32_t n = 0;
    uint64_t pos;
    IFile_Seek(f, 100, SEEK_FROM_START, &pos);
    CHECK_EQ(IFile_Write(f, 3, (const uint8_t *)"XYZ", &n), S_OK);
    CHECK(!memcmp(ro + 100, "XYZ", 3) && !memcmp(ro2 + 100, "XYZ", 3),
          "a write through IFile shows in every read-only mapping");
    CHECK(cow[5] == 0xEE, "the private page stays");
    ADDRESS gone = map(mo, bytes, AS_PROT_READ | AS_MAP_NO_EXCEPTION, S_OK);
    IFile_Release(f);
    CHECK_EQ(IFileSystem_Remove(fs, MAPPED), S_OK);
    CHECK(gone && ((volatile uint8_t *)(uintptr_t)gone)[1] == 0, "a removed file's pages go");
    CHECK(cow[5] == 0xEE, "a private copy outlives the file");
    IAddressSpace *as = CurrentAddressSpace();
    CHECK_EQ(IAddressSpace_Deallocate(as, (ADDRESS)(uintptr_t)ro, bytes), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(as, (ADDRESS)(uintptr_t)ro2, bytes), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(as, (ADDRESS)(uintptr_t)cow, bytes), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(as, gone, bytes), S_OK);
    IMemoryObject_Release(mo);
    IMemoryObject_Release(again);
}

void test_mapped_empty(IFileSystem *fs)
{
    IFile *f = 0;
    IMemoryObject *mo = (IMemoryObject *)1;
    CHECK_EQ(IFileSystem_Open(fs, "/empty.bin", FILE_WRITE | FILE_CREATE, &f), S_OK);
    CHECK_EQ(f ? IFile_GetMemoryObject(f, &mo) : E_FAIL, FS_E_EMPTY);
    CHECK(mo == 0, "no object on failure");
    if (f)
        IFile_Release(f);
    CHECK_EQ(IFileSystem_Remove(fs, "/empty.bin"), S_OK);
}

/* A file open twice is one file: two writers' writes both land, a
 * truncating open empties it for the other, and a file removed while
 * open keeps its data until its last close (POSIX's unlink). */
void test_open_twice(IFileSystem *fs)
{
    IFile *a = 0, *b = 0, *r = 0;
    uint32_t n = 0;
    uint8_t buf[10] = {0};
    uint64_t pos;
    FILE_STAT st;
    CHECK_EQ(IFileSystem_Open(fs, "/twice.txt", FILE_WRITE | FILE_CREATE, &a), S_OK);
    CHECK_EQ(IFileSystem_Open(fs, "/twice.txt", FILE_READ | FILE_WRITE, &b), S_OK);
    if (!a || !b)
        return;
    CHECK_EQ(IFile_Write(a, 4, (const uint8_t *)"abcd", &n), S_OK);
    CHECK_EQ(IFile_Seek(b, 4, SEEK_FROM_START, &pos), S_OK);
    CHECK_EQ(IFile_Write(b, 4, (const uint8_t *)"efgh", &n), S_OK);
    CHECK_EQ(IFile_Seek(b, 0, SEEK_FROM_START, &pos), S_OK);
    CHECK_EQ(IFile_Read(b, 8, buf, &n), S_OK);
    CHECK(n == 8 && !memcmp(buf, "abcdefgh", 8), "both writes: %u bytes", (unsigned)n);
    CHECK_EQ(IFileSystem_MakeDirectory(fs, "/twice dir"), S_OK);
    CHECK_EQ(IFileSystem_Rename(fs, "/twice.txt", "/twice dir/moved.txt"), S_OK);
    CHECK_EQ(IFile_Seek(a, 0, SEEK_FROM_END, &pos), S_OK);
    CHECK_EQ(IFile_Write(a, 2, (const uint8_t *)"ij", &n), S_OK); /* its moved entry grows */
    CHECK_EQ(IFileSystem_Stat(fs, "/twice dir/moved.txt", &st), S_OK);
    CHECK_EQ(st.Size, 10);
    CHECK_EQ(IFileSystem_Open(fs, "/twice dir/moved.txt", FILE_READ, &r), S_OK);
    CHECK_EQ(IFileSystem_Remove(fs, "/twice dir/moved.txt"), S_OK);
    CHECK_EQ(IFileSystem_Stat(fs, "/twice dir/moved.txt", &st), FS_E_NOT_FOUND);
    memset(buf, 0, sizeof buf);
    CHECK_EQ(r ? IFile_Read(r, 10, buf, &n) : E_FAIL, S_OK);
    CHECK(n == 10 && !memcmp(buf, "abcdefghij", 10), "a removed file still reads: %u", (unsigned)n);
    CHECK_EQ(IFile_Write(a, 2, (const uint8_t *)"kl", &n), S_OK); /* and writes */
    IFile_Release(a);
    IFile_Release(b);
    if (r)
        IFile_Release(r);
    CHECK_EQ(IFileSystem_Remove(fs, "/twice dir"), S_OK);
}
