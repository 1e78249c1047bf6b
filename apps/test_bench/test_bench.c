/* test_bench: the user side of the kernel-call benchmarks
 * (test/proc/guest/bench_user.c). Each mode does one operation N times;
 * the kernel times the whole process and subtracts the "loop" mode (the
 * same loop doing nothing), so start-up and exit cancel out:
 *   loop N      nothing
 *   null N      ITestObject::Null
 *   peek N      ITestObject::Peek of a 4 KiB buffer (passed through, not copied)
 *   fill N      ITestObject::Fill of 4 bytes
 *   touch N     N auto-commit pages, each written once (first-touch faults)
 *   notouch N   the same pages, never touched
 *   alloc N     Allocate + Deallocate of 64 KiB, left untouched
 *   allocauto N the same, auto-committed (pages only on first touch)
 *   protect N   Protect of 16 committed pages, read-only and back in turn
 *   scratch     one Fill into a read-only page: the scratch page, then
 *               the exception ends the process
 *   trap        one Fill into a writable page, then an illegal
 *               instruction ends the process (scratch's baseline)
 * With another space's IMemoryObject as the Extra handle instead
 * (bench_user_map), 16 or N pages allocated there first:
 *   map16 N     Map of the 16 pages, a read of each (the first touch,
 *               through the source), Deallocate
 *   mapbase N   nothing (the baseline of map16)
 *   cow N       a copy-on-write mapping of N pages, each read, then each
 *               written (one copy-on-write fault per page), Deallocate
 *   cowread N   the same without the writes (cow's baseline) */
#include <rialto.h>
#include <stdlib.h>
#include <string.h>
#include <ITestObject.h>

#define PG 4096u

static ITestObject *test;
static unsigned char page[PG] __attribute__((aligned(PG)));
static unsigned char other[PG] __attribute__((aligned(PG)));

static void loop(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        __asm__ volatile("" ::: "memory");
}

static void calls(const char *mode, unsigned long n)
{
    uint32_t ends;
    for (unsigned long i = 0; i < n; i++) {
        if (!strcmp(mode, "null"))
            ITestObject_Null(test);
        else if (!strcmp(mode, "peek"))
            ITestObject_Peek(test, page, PG, &ends);
        else
            ITestObject_Fill(test, page, 4, 7);
    }
}

static ADDRESS allocate(size_t size, uint32_t flags)
{
    ADDRESS a = 0;
    if (IAddressSpace_Allocate(CurrentAddressSpace(), &a, size,
                               AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | flags))
        exit(90);
    return a;
}

static IMemoryObject *srcmem;

/* n pages allocated in the source space (through its IAddressSpace). */
static ADDRESS source_pages(unsigned long n)
{
    IAddressSpace *src = 0;
    ADDRESS a = 0;
    if (IMemoryObject_QueryInterface(srcmem, &IID_IAddressSpace, (void **)&src) || !src ||
        IAddressSpace_Allocate(src, &a, n * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE))
        exit(94);
    IAddressSpace_Release(src);
    return a;
}

static ADDRESS map(unsigned long n, uint32_t flags, ADDRESS offset)
{
    ADDRESS b = 0;
    if (IAddressSpace_Map(CurrentAddressSpace(), &b, n * PG, AS_ANYWHERE | flags, srcmem, offset))
        exit(95);
    return b;
}

static void map16(unsigned long n, int work)
{
    ADDRESS a = source_pages(16);
    for (unsigned long i = 0; work && i < n; i++) {
        ADDRESS b = map(16, AS_PROT_READ, a);
        for (unsigned k = 0; k < 16; k++)
            (void)((volatile char *)b)[k * PG];
        IAddressSpace_Deallocate(CurrentAddressSpace(), b, 16 * PG);
    }
}

static void cow(unsigned long n, int write)
{
    ADDRESS b = map(n, AS_PROT_READ | AS_PROT_WRITE | AS_MAP_COPY_ON_WRITE, source_pages(n));
    for (unsigned long i = 0; i < n; i++)
        (void)((volatile char *)b)[i * PG];
    for (unsigned long i = 0; write && i < n; i++)
        ((volatile char *)b)[i * PG] = 1;
    IAddressSpace_Deallocate(CurrentAddressSpace(), b, n * PG);
}

static int map_modes(const char *mode, unsigned long n)
{
    if (com_unmarshal_interface(StartHandle(), &IID_IMemoryObject, (void **)&srcmem) || !srcmem)
        return 91;
    if (!strcmp(mode, "map16") || !strcmp(mode, "mapbase"))
        map16(n, mode[3] == '1');
    else
        cow(n, mode[3] != 'r');
    return 0;
}

static void touch(unsigned long n, int write)
{
    ADDRESS a = allocate(n * PG, AS_COMMIT_AUTO);
    for (unsigned long i = 0; write && i < n; i++)
        ((volatile char *)a)[i * PG] = 1;
    IAddressSpace_Deallocate(CurrentAddressSpace(), a, n * PG);
}

static void alloc(unsigned long n, uint32_t flags)
{
    for (unsigned long i = 0; i < n; i++)
        IAddressSpace_Deallocate(CurrentAddressSpace(), allocate(16 * PG, flags), 16 * PG);
}

static void protect(unsigned long n)
{
    ADDRESS a = allocate(16 * PG, 0);
    for (unsigned long i = 0; i < n; i++)
        IAddressSpace_Protect(CurrentAddressSpace(), a, 16 * PG,
                              i & 1 ? AS_PROT_READ | AS_PROT_WRITE : AS_PROT_READ);
}

static int decline(const EXCEPTION_RECORD *r)
{
    (void)r;
    return EXCEPTION_CONTINUE_SEARCH;
}

/* One Fill into page, made read-only or not (the other page is, so both
 * runs make the same calls), then the end: through a handler that
 * declines, so neither run prints a report. */
static void fault_end(int read_only)
{
    SetExceptionHandler(decline);
    ADDRESS ro = (ADDRESS)(read_only ? page : other);
    IAddressSpace_Protect(CurrentAddressSpace(), ro, PG, AS_PROT_READ);
    ITestObject_Fill(test, page, 4, 7);
    __builtin_trap();
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    unsigned long n = argc > 2 ? strtoul(argv[2], 0, 0) : 0;
    if (!strncmp(mode, "map", 3) || !strncmp(mode, "cow", 3))
        return map_modes(mode, n);
    if (com_unmarshal_interface(StartHandle(), &IID_ITestObject, (void **)&test) || !test)
        return 91;
    memset(page, 1, sizeof page);
    memset(other, 1, sizeof other);
    if (!strcmp(mode, "loop"))
        loop(n);
    else if (!strcmp(mode, "null") || !strcmp(mode, "peek") || !strcmp(mode, "fill"))
        calls(mode, n);
    else if (!strcmp(mode, "touch") || !strcmp(mode, "notouch"))
        touch(n, mode[0] == 't');
    else if (!strcmp(mode, "alloc"))
        alloc(n, 0);
    else if (!strcmp(mode, "allocauto"))
        alloc(n, AS_COMMIT_AUTO);
    else if (!strcmp(mode, "protect"))
        protect(n);
    else if (!strcmp(mode, "scratch") || !strcmp(mode, "trap"))
        fault_end(mode[0] == 's');
    else
        return 92;
    return 0;
}
