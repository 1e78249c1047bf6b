/* test_win32: the Win32 memory functions (<windows.h>, lib/win32.c) in a
 * process, over CurrentAddressSpace; each check names the Windows rule it
 * holds the runtime to. Modes:
 *   (none)          the rules, case by case; exit status = failed checks
 *   guard           a guard page read with no exception handler: the
 *                   process ends with STATUS_GUARD_PAGE_VIOLATION
 *   scenario zero   the zero/erase measurement's workload (paper 2.1):
 *   scenario nozero reserve, commit, write, decommit, recommit, release,
 *                   with VirtualAlloc asking for alloc-zero or not */
#include <rialto.h>
#include <string.h>
#include <utest.h>
#include <windows.h>

#define PG 4096u
#define G  0x10000u

static MEMORY_BASIC_INFORMATION query(const void *p)
{
    MEMORY_BASIC_INFORMATION m;
    memset(&m, 0xee, sizeof m);
    CHECK_EQ(VirtualQuery(p, &m, sizeof m), sizeof m);
    return m;
}

static int zeros(const unsigned char *p, SIZE_T n)
{
    for (SIZE_T i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* Rule: reservations start on the 64 KiB granularity; a given address is
 * rounded down to it, the end up to a page. */
static void reserve_granularity(void)
{
    unsigned char *a = VirtualAlloc(NULL, 3 * PG, MEM_RESERVE, PAGE_READWRITE);
    CHECK(a && (uintptr_t)a % G == 0, "chosen address %p on 64 KiB", (void *)a);
    MEMORY_BASIC_INFORMATION m = query(a);
    CHECK_EQ(m.State, MEM_RESERVE);
    CHECK_EQ(m.RegionSize, 3 * PG);
    CHECK_EQ(m.AllocationBase, a);
    CHECK_EQ(m.Protect, 0);
    CHECK_EQ(m.Type, MEM_PRIVATE);
    CHECK(VirtualFree(a, 0, MEM_RELEASE), "release");
    /* the same place again, asked for at an unaligned address inside it */
    unsigned char *b = VirtualAlloc(a + G / 2 + 5, PG, MEM_RESERVE, PAGE_NOACCESS);
    CHECK_EQ(b, a);
    m = query(b);
    CHECK_EQ(m.RegionSize, G / 2 + 2 * PG); /* up to the page holding the last byte */
    CHECK(VirtualFree(b, 0, MEM_RELEASE), "release");
}

/* Rule: MEM_COMMIT gives zero-filled pages; with no address it reserves
 * too; a commit inside a reservation needs the range reserved. */
static void commit_zero_filled(void)
{
    SetLastError(1234);
    unsigned char *a = VirtualAlloc(NULL, 4 * PG, MEM_COMMIT, PAGE_READWRITE);
    CHECK(a && (uintptr_t)a % G == 0, "MEM_COMMIT alone with no address reserves: %p", (void *)a);
    CHECK_EQ(GetLastError(), 1234); /* success leaves the last error alone */
    if (!a)
        return;
    CHECK(zeros(a, 4 * PG), "committed memory reads as zero");
    memset(a, 0x77, 4 * PG);
    CHECK(VirtualFree(a + PG, PG, MEM_DECOMMIT), "decommit");
    CHECK(VirtualAlloc(a + PG + 10, 1, MEM_COMMIT, PAGE_READWRITE) == a + PG,
          "recommit inside the reservation: the page's base");
    CHECK(zeros(a + PG, PG), "a recommitted page is zero again");
    CHECK_EQ(a[2 * PG], 0x77);
    MEMORY_BASIC_INFORMATION m = query(a + PG);
    CHECK_EQ(m.State, MEM_COMMIT);
    CHECK_EQ(m.Protect, PAGE_READWRITE);
    CHECK_EQ(m.AllocationProtect, PAGE_READWRITE);
    CHECK(VirtualFree(a, 0, MEM_RELEASE), "release");
    SetLastError(0);
    CHECK(!VirtualAlloc(a, PG, MEM_COMMIT, PAGE_READWRITE), "commit of free pages");
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
}

/* Rule: MEM_RELEASE names the allocation base with size 0. */
static void release_needs_base_and_size_zero(void)
{
    unsigned char *a = VirtualAlloc(NULL, 4 * PG, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CHECK(a != NULL, "allocate");
    SetLastError(0);
    CHECK(!VirtualFree(a, 4 * PG, MEM_RELEASE), "a size with MEM_RELEASE");
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(!VirtualFree(a + PG, 0, MEM_RELEASE), "not the base");
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
    CHECK(!VirtualFree(a, 0, MEM_RELEASE | MEM_DECOMMIT), "both types");
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(query(a).State, MEM_COMMIT);
    CHECK(VirtualFree(a, 0, MEM_RELEASE), "release");
    CHECK_EQ(query(a).State, MEM_FREE);
    CHECK(!VirtualFree(a, 0, MEM_RELEASE), "released twice");
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
}

/* Rule: decommitting pages never committed succeeds; size 0 decommits to
 * the end of the allocation. */
static void decommit_rules(void)
{
    unsigned char *a = VirtualAlloc(NULL, 8 * PG, MEM_RESERVE, PAGE_READWRITE);
    CHECK(a != NULL, "reserve");
    CHECK(VirtualFree(a, 8 * PG, MEM_DECOMMIT), "decommit of reserved pages succeeds");
    CHECK(VirtualAlloc(a, 8 * PG, MEM_COMMIT, PAGE_READWRITE) == a, "commit all");
    CHECK(VirtualFree(a + 2 * PG, 0, MEM_DECOMMIT), "size 0: to the end");
    CHECK_EQ(query(a).RegionSize, 2 * PG);
    CHECK_EQ(query(a + 2 * PG).State, MEM_RESERVE);
    CHECK_EQ(query(a + 2 * PG).RegionSize, 6 * PG);
    CHECK(VirtualFree(a, 0, MEM_RELEASE), "release");
    SetLastError(0);
    CHECK(!VirtualFree(a, PG, MEM_DECOMMIT), "decommit of free pages");
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
}

static volatile int faults;
static volatile uintptr_t fault_address;

static int make_writable(const EXCEPTION_RECORD *r)
{
    DWORD old;
    faults++;
    fault_address = r->Address;
    if (r->Code != 0xC0000005u)
        return EXCEPTION_CONTINUE_SEARCH;
    VirtualProtect((void *)r->Address, 1, PAGE_READWRITE, &old);
    return EXCEPTION_CONTINUE_EXECUTION;
}

/* Rule: VirtualProtect gives the old protection, needs committed pages,
 * and the new one holds (a write to PAGE_READONLY is an access violation). */
static void protect_returns_old(void)
{
    unsigned char *a = VirtualAlloc(NULL, 4 * PG, MEM_RESERVE, PAGE_READWRITE);
    CHECK(VirtualAlloc(a, 2 * PG, MEM_COMMIT, PAGE_READWRITE) == a, "commit");
    DWORD old = 0x1234;
    CHECK(VirtualProtect(a, PG, PAGE_READONLY, &old), "protect");
    CHECK_EQ(old, PAGE_READWRITE);
    CHECK(VirtualProtect(a, 2 * PG, PAGE_EXECUTE_READ, &old), "protect");
    CHECK_EQ(old, PAGE_READONLY);
    CHECK_EQ(query(a).Protect, PAGE_EXECUTE_READ);
    CHECK_EQ(query(a).RegionSize, 2 * PG);
    SetLastError(0);
    CHECK(!VirtualProtect(a + 2 * PG, PG, PAGE_READONLY, &old), "reserved pages");
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
    CHECK(!VirtualProtect(a, PG, PAGE_READONLY, NULL), "no place for the old one");
    CHECK_EQ(GetLastError(), ERROR_NOACCESS);
    CHECK(!VirtualProtect(a, PG, PAGE_READONLY | PAGE_READWRITE, &old), "two protections");
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(VirtualProtect(a, PG, PAGE_READONLY, &old), "protect");
    SetExceptionHandler(make_writable);
    faults = 0;
    a[100] = 1; /* faults once; the handler makes it writable */
    SetExceptionHandler(NULL);
    CHECK_EQ(faults, 1);
    CHECK_EQ(fault_address, (uintptr_t)(a + 100));
    CHECK_EQ(a[100], 1);
    CHECK(VirtualFree(a, 0, MEM_RELEASE), "release");
}

#define GUARD_VIOLATION 0x80000001u /* STATUS_GUARD_PAGE_VIOLATION */

static volatile DWORD fault_code;

/* Notes the exception and retries: a guard page's is one-time. */
static int note_and_retry(const EXCEPTION_RECORD *r)
{
    faults++;
    fault_address = r->Address;
    fault_code = r->Code;
    return r->Code == GUARD_VIOLATION ? EXCEPTION_CONTINUE_EXECUTION : EXCEPTION_CONTINUE_SEARCH;
}

/* Rule: a PAGE_GUARD page's first access of any kind raises
 * STATUS_GUARD_PAGE_VIOLATION and clears that page's guard: the retried
 * access succeeds, the next raises nothing. VirtualQuery reports the
 * guard while it is set. A kernel call's access raises it as the call
 * returns, and clears it too. */
static void guard_pages(void)
{
    volatile unsigned char *a = VirtualAlloc(NULL, 3 * PG, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
    CHECK(a != NULL, "commit guard pages");
    CHECK_EQ(query((void *)a).Protect, PAGE_READWRITE | PAGE_GUARD);
    CHECK_EQ(query((void *)a).RegionSize, 3 * PG);
    SetExceptionHandler(note_and_retry);
    faults = 0;
    unsigned char v = a[PG + 10]; /* raises once; the retry reads */
    CHECK_EQ(faults, 1);
    CHECK_EQ(fault_code, GUARD_VIOLATION);
    CHECK_EQ(fault_address, (uintptr_t)(a + PG + 10));
    CHECK_EQ(v, 0);
    a[PG + 10] = 5; /* no guard any more */
    CHECK_EQ(a[PG + 10], 5);
    CHECK_EQ(faults, 1);
    CHECK_EQ(query((void *)(a + PG)).Protect, PAGE_READWRITE);
    CHECK_EQ(query((void *)(a + PG)).RegionSize, PG);
    CHECK_EQ(query((void *)a).Protect, PAGE_READWRITE | PAGE_GUARD);
    CHECK_EQ(query((void *)(a + 2 * PG)).Protect, PAGE_READWRITE | PAGE_GUARD);
    a[3] = 7; /* a write raises it too */
    CHECK_EQ(faults, 2);
    CHECK_EQ(fault_address, (uintptr_t)(a + 3));
    CHECK_EQ(a[3], 7);
    /* a kernel call writing into a guard page: raised as it returns */
    ADDR_REGION_INFO *info = (ADDR_REGION_INFO *)(a + 2 * PG);
    IAddressSpace_Query(CurrentAddressSpace(), (ADDRESS)(uintptr_t)a, info);
    CHECK_EQ(faults, 3);
    CHECK_EQ(fault_code, GUARD_VIOLATION);
    CHECK_EQ(fault_address & ~(uintptr_t)(PG - 1), (uintptr_t)(a + 2 * PG));
    CHECK_EQ(query((void *)(a + 2 * PG)).Protect, PAGE_READWRITE);
    DWORD old = 0;
    CHECK(VirtualProtect((void *)a, PG, PAGE_READONLY | PAGE_GUARD, &old), "protect");
    CHECK_EQ(old, PAGE_READWRITE);
    CHECK_EQ(query((void *)a).Protect, PAGE_READONLY | PAGE_GUARD);
    v = a[3];
    CHECK_EQ(faults, 4);
    CHECK_EQ(v, 7);
    SetExceptionHandler(NULL);
    CHECK(VirtualFree((void *)a, 0, MEM_RELEASE), "release");
}

/* With no handler, the guard exception ends the process with its code. */
static int unhandled_guard(void)
{
    volatile unsigned char *a = VirtualAlloc(NULL, PG, MEM_COMMIT, PAGE_READONLY | PAGE_GUARD);
    if (!a)
        return 1;
    return a[0] + 2; /* never returns */
}

/* Rule: invalid combinations fail with Windows' code. */
static void invalid_combinations(void)
{
    static const struct {
        SIZE_T size;
        DWORD type, prot, error;
    } cases[] = {
        {PG, 0, PAGE_READWRITE, ERROR_INVALID_PARAMETER},            /* no type */
        {PG, MEM_DECOMMIT, PAGE_READWRITE, ERROR_INVALID_PARAMETER}, /* a VirtualFree type */
        {PG, MEM_TOP_DOWN, PAGE_READWRITE, ERROR_INVALID_PARAMETER}, /* only a modifier */
        {0, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, ERROR_INVALID_PARAMETER}, /* size 0 */
        {PG, MEM_COMMIT, 0, ERROR_INVALID_PARAMETER},                           /* no protection */
        {PG, MEM_COMMIT, PAGE_READONLY | PAGE_READWRITE, ERROR_INVALID_PARAMETER},
        {PG, MEM_COMMIT, PAGE_WRITECOPY, ERROR_INVALID_PARAMETER}, /* not for private memory */
        {PG, MEM_COMMIT, PAGE_NOACCESS | PAGE_NOCACHE, ERROR_INVALID_PARAMETER},
        {PG, MEM_COMMIT, PAGE_READWRITE | 0x800, ERROR_INVALID_PARAMETER},
        {PG, MEM_COMMIT, PAGE_NOACCESS | PAGE_GUARD,
         ERROR_INVALID_PARAMETER}, /* a guard of nothing */
        {(SIZE_T)-PG, MEM_RESERVE, PAGE_READWRITE, ERROR_INVALID_PARAMETER}, /* wraps */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SetLastError(0);
        void *p = VirtualAlloc(NULL, cases[i].size, cases[i].type, cases[i].prot);
        CHECK(p == NULL, "case %u allocated", i);
        CHECK(GetLastError() == cases[i].error, "case %u: error %lu, not %lu", i,
              (unsigned long)GetLastError(), (unsigned long)cases[i].error);
    }
    unsigned char *a = VirtualAlloc(NULL, PG, MEM_RESERVE, PAGE_READWRITE);
    SetLastError(0);
    CHECK(!VirtualAlloc(a, PG, MEM_RESERVE, PAGE_READWRITE), "reserve over a reservation");
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
    CHECK(!VirtualAlloc(a + PG, PG, MEM_COMMIT, PAGE_READWRITE), "commit past the allocation");
    CHECK_EQ(GetLastError(), ERROR_INVALID_ADDRESS);
    CHECK(!VirtualAlloc(NULL, (SIZE_T)0x7ff00000u, MEM_RESERVE, PAGE_READWRITE), "too big");
    CHECK_EQ(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
    CHECK(VirtualFree(a, 0, MEM_RELEASE), "release");
    MEMORY_BASIC_INFORMATION m;
    SetLastError(0);
    CHECK_EQ(VirtualQuery(a, &m, sizeof m - 1), 0);
    CHECK_EQ(GetLastError(), ERROR_BAD_LENGTH);
}

/* Rule: MEM_TOP_DOWN takes the highest free granule that fits. */
static void top_down(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    unsigned char *low = VirtualAlloc(NULL, PG, MEM_RESERVE, PAGE_READWRITE);
    unsigned char *high = VirtualAlloc(NULL, PG, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE);
    CHECK(high > low, "top down %p above bottom up %p", (void *)high, (void *)low);
    CHECK((uintptr_t)high % G == 0, "on 64 KiB: %p", (void *)high);
    CHECK((uintptr_t)high + G > (uintptr_t)si.lpMaximumApplicationAddress,
          "in the top granule below %p: %p", si.lpMaximumApplicationAddress, (void *)high);
    CHECK(VirtualFree(low, 0, MEM_RELEASE), "release");
    CHECK(VirtualFree(high, 0, MEM_RELEASE), "release");
}

/* Rule: VirtualQuery describes free memory, and GetSystemInfo and
 * GlobalMemoryStatus report the space. */
static void query_and_status(void)
{
    SYSTEM_INFO si;
    memset(&si, 0xee, sizeof si);
    GetSystemInfo(&si);
    CHECK_EQ(si.dwPageSize, PG);
    CHECK_EQ(si.dwAllocationGranularity, G);
    CHECK_EQ((uintptr_t)si.lpMinimumApplicationAddress, 0x10000u);
    CHECK(si.lpMaximumApplicationAddress > si.lpMinimumApplicationAddress, "max %p",
          si.lpMaximumApplicationAddress);
    CHECK_EQ(si.dwNumberOfProcessors, 1);
    unsigned char *a = VirtualAlloc(NULL, G, MEM_RESERVE, PAGE_READWRITE);
    CHECK(VirtualFree(a, 0, MEM_RELEASE), "release");
    MEMORY_BASIC_INFORMATION m = query(a + 5);
    CHECK_EQ(m.State, MEM_FREE);
    CHECK_EQ(m.BaseAddress, a);
    CHECK_EQ(m.Protect, PAGE_NOACCESS);
    CHECK_EQ(m.AllocationBase, NULL);
    CHECK_EQ(m.Type, 0);
    CHECK(m.RegionSize >= G, "free region %lu", (unsigned long)m.RegionSize);
    MEMORYSTATUS before, after;
    GlobalMemoryStatus(&before);
    CHECK_EQ(before.dwLength, sizeof before);
    CHECK(before.dwTotalPhys >= before.dwAvailPhys && before.dwAvailPhys > 0, "phys");
    a = VirtualAlloc(NULL, 16 * PG, MEM_COMMIT, PAGE_READWRITE);
    GlobalMemoryStatus(&after);
    CHECK_EQ(before.dwAvailVirtual - after.dwAvailVirtual, 16 * PG);
    CHECK(before.dwAvailPhys - after.dwAvailPhys >= 16 * PG, "16 pages less free");
    CHECK(VirtualFree(a, 0, MEM_RELEASE), "release");
}

/* One thread's share of threads_allocate_at_once: its own allocations,
 * each on the granularity and holding what it wrote; failures returned. */
static int allocate_many(void *arg)
{
    int bad = 0;
    for (unsigned i = 0; i < 40; i++) {
        DWORD type = MEM_RESERVE | MEM_COMMIT | ((i % 4 == 0) ? MEM_TOP_DOWN : 0);
        unsigned *p = VirtualAlloc(NULL, 2 * PG, type, PAGE_READWRITE);
        if (!p || (uintptr_t)p % G) {
            bad++;
            continue;
        }
        p[0] = (unsigned)(uintptr_t)arg + i;
        p[PG / 4] = i;
        if (p[0] != (unsigned)(uintptr_t)arg + i || p[PG / 4] != i ||
            !VirtualFree(p, 0, MEM_RELEASE))
            bad++;
    }
    return bad;
}

/* Rule: VirtualAlloc is safe from several threads at once (another thread
 * may take the hole found for an allocation: it finds another). */
static void threads_allocate_at_once(void)
{
    IThread *a = CreateThread(allocate_many, (void *)0x1000),
            *b = CreateThread(allocate_many, (void *)0x2000);
    int self = allocate_many((void *)0x3000);
    int32_t ca = -1, cb = -1;
    CHECK(a && b, "threads");
    if (!a || !b)
        return;
    CHECK_EQ(IThread_Join(a, 0xffffffffu, &ca), S_OK);
    CHECK_EQ(IThread_Join(b, 0xffffffffu, &cb), S_OK);
    CHECK_EQ(ca, 0);
    CHECK_EQ(cb, 0);
    CHECK_EQ(self, 0);
    IThread_Release(a);
    IThread_Release(b);
}

/* The measurement's workload: a program's typical use of VirtualAlloc. */
static int scenario(void)
{
    unsigned char *a = VirtualAlloc(NULL, 1 << 20, MEM_RESERVE, PAGE_READWRITE);
    if (!a || VirtualAlloc(a, 16 * PG, MEM_COMMIT, PAGE_READWRITE) != a)
        return 1;
    memset(a, 1, 16 * PG);
    VirtualFree(a + 8 * PG, 8 * PG, MEM_DECOMMIT);
    if (VirtualAlloc(a + 8 * PG, 8 * PG, MEM_COMMIT, PAGE_READWRITE) != a + 8 * PG)
        return 2;
    memset(a + 8 * PG, 2, 8 * PG);
    unsigned char *b = VirtualAlloc(NULL, 8 * PG, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!b)
        return 3;
    memset(b, 3, 8 * PG);
    return !VirtualFree(a, 0, MEM_RELEASE) || !VirtualFree(b, 0, MEM_RELEASE) ? 4 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "scenario")) {
        SetVirtualAllocZero(!strcmp(argv[2], "zero"));
        return scenario();
    }
    if (argc == 2 && !strcmp(argv[1], "guard"))
        return unhandled_guard();
    reserve_granularity();
    commit_zero_filled();
    release_needs_base_and_size_zero();
    decommit_rules();
    protect_returns_old();
    guard_pages();
    invalid_combinations();
    top_down();
    query_and_status();
    threads_allocate_at_once();
    printf("test_win32: %d failures\n", utest_failures);
    return utest_failures;
}
