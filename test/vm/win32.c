/* The Win32 memory functions (lib/win32.c) on the host over kernel/vm, an
 * address-space object over [VMTEST_LO, VMTEST_HI) standing in for
 * CurrentAddressSpace: each test names the Windows rule it checks, and
 * contents are read through the simulated processor. */
#include "vmtest.h"

#include <criterion/criterion.h>
#include <kernel/vm/object.h>
#include <lib/win32.h>
#include <string.h>

TestSuite(vm_win32, .init = vmtest_init, .fini = vmtest_fini);

#define G WIN32_GRANULARITY

static struct as as;
static IAddressSpace *space;

static void setup(void)
{
    vmtest_as(&as, "win32");
    space = as_object_create(&as, NULL, NULL);
    cr_assert_not_null(space);
    win32_alloc_zero = true;
}

static void teardown(void)
{
    space->lpVtbl->Release(space);
    as_destroy(&as);
    win32_alloc_zero = true;
}

static uintptr_t alloc(uintptr_t addr, SIZE_T size, DWORD type, DWORD prot)
{
    LPVOID p = (LPVOID)1;
    cr_assert_eq(win32_virtual_alloc(space, (LPVOID)addr, size, type, prot, &p), ERROR_SUCCESS,
                 "VirtualAlloc(%#lx, %#lx, %#x, %#x)", (unsigned long)addr, (unsigned long)size,
                 type, prot);
    return (uintptr_t)p;
}

static DWORD alloc_error(uintptr_t addr, SIZE_T size, DWORD type, DWORD prot)
{
    LPVOID p = (LPVOID)1;
    DWORD e = win32_virtual_alloc(space, (LPVOID)addr, size, type, prot, &p);
    cr_expect_null(p, "a failed VirtualAlloc returns NULL");
    return e;
}

static MEMORY_BASIC_INFORMATION query(uintptr_t a)
{
    MEMORY_BASIC_INFORMATION m;
    SIZE_T n = 0;
    memset(&m, 0xee, sizeof m);
    cr_assert_eq(win32_virtual_query(space, (LPCVOID)a, &m, sizeof m, &n), ERROR_SUCCESS);
    cr_assert_eq(n, sizeof m);
    return m;
}

static DWORD release(uintptr_t a)
{
    return win32_virtual_free(space, (LPVOID)a, 0, MEM_RELEASE);
}

/* Rule: a reservation starts on the 64 KiB allocation granularity (a given
 * address rounded down to it) and ends on the page holding its last byte;
 * every reservation is a section of its own. */
Test(vm_win32, reservations_start_on_64k_and_end_on_a_page, .init = setup, .fini = teardown)
{
    uintptr_t a = alloc(0, 1, MEM_RESERVE, PAGE_READWRITE);
    cr_expect_eq(a, VMTEST_LO, "the lowest granule");
    cr_expect_eq(query(a).RegionSize, P);
    uintptr_t b = alloc(0, P, MEM_RESERVE, PAGE_READWRITE);
    cr_expect_eq(b, VMTEST_LO + G, "the next granule, not the next page");
    uintptr_t c = alloc(VMTEST_LO + 5 * G + 3 * P + 7, 2 * P, MEM_RESERVE, PAGE_READWRITE);
    cr_expect_eq(c, VMTEST_LO + 5 * G, "rounded down to the granularity");
    cr_expect_eq(query(c).RegionSize, 6 * P, "up to the page of the last byte");
    cr_expect_eq(query(c).AllocationBase, (LPVOID)c);
    cr_expect_eq(alloc_error(VMTEST_LO + 5 * G + 8 * P, P, MEM_RESERVE, PAGE_READWRITE),
                 ERROR_INVALID_ADDRESS, "its granule is taken");
    /* adjacent reservations stay apart: a commit may not span them */
    uintptr_t d = alloc(VMTEST_LO + 6 * G, G, MEM_RESERVE, PAGE_READWRITE);
    cr_expect_eq(d, VMTEST_LO + 6 * G);
    uintptr_t e = alloc(VMTEST_LO + 7 * G, G, MEM_RESERVE, PAGE_READWRITE);
    cr_expect_eq(alloc_error(e - P, 2 * P, MEM_COMMIT, PAGE_READWRITE), ERROR_INVALID_ADDRESS);
    cr_expect_eq(query(e - P).State, MEM_RESERVE, "nothing committed");
    cr_expect_eq(release(a), ERROR_SUCCESS);
    cr_expect_eq(release(b), ERROR_SUCCESS);
    cr_expect_eq(release(c), ERROR_SUCCESS);
    cr_expect_eq(release(d), ERROR_SUCCESS);
    cr_expect_eq(release(e), ERROR_SUCCESS);
    cr_expect_eq(as.reserved_pages, 0);
}

/* Rule: MEM_TOP_DOWN takes the highest granule with room. */
Test(vm_win32, top_down_takes_the_highest_granule, .init = setup, .fini = teardown)
{
    uintptr_t a = alloc(0, P, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE);
    cr_expect_eq(a, VMTEST_HI - G);
    uintptr_t b = alloc(0, G + P, MEM_RESERVE | MEM_COMMIT | MEM_TOP_DOWN, PAGE_READWRITE);
    cr_expect_eq(b, VMTEST_HI - 3 * G, "two granules under the first");
    cr_expect_eq(query(b).State, MEM_COMMIT);
    /* between them a hole of G - P bytes that no granule starts in */
    cr_expect_eq(alloc(0, G - P, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE), VMTEST_HI - 4 * G,
                 "the next granule down with room");
    cr_expect_eq(alloc(0, P, MEM_RESERVE, PAGE_READWRITE), VMTEST_LO, "bottom up without it");
    cr_expect_eq(alloc_error(0, VMTEST_HI, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE),
                 ERROR_NOT_ENOUGH_MEMORY, "no hole that large");
}

/* Rule: committed memory is zero-filled (alloc-zero); off, it is only
 * erased (the paper's measurement switch). */
Test(vm_win32, commit_is_zero_filled, .init = setup, .fini = teardown)
{
    struct vm_page_stats s0, s1;
    vm_get_page_stats(&s0);
    uintptr_t a = alloc(0, 4 * P, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    vm_get_page_stats(&s1);
    cr_expect_eq(s1.pages_zero_filled - s0.pages_zero_filled, 4);
    for (uintptr_t i = 0; i < 4 * P; i += 97)
        cr_assert_eq(vm_read8(&as, a + i), 0, "byte %lu", (unsigned long)i);
    vm_write8(&as, a + P + 5, 0x42);
    cr_expect_eq(win32_virtual_free(space, (LPVOID)(a + P), P, MEM_DECOMMIT), ERROR_SUCCESS);
    cr_expect_eq(alloc(a + P + 5, 1, MEM_COMMIT, PAGE_READWRITE), a + P, "the page's base");
    cr_expect_eq(vm_read8(&as, a + P + 5), 0, "zero again after a recommit");
    win32_alloc_zero = false;
    uintptr_t b = alloc(0, P, MEM_COMMIT, PAGE_READWRITE);
    cr_expect_eq(vm_read8(&as, b), VM_ERASE_PATTERN, "erased, not zeroed");
}

/* Rule: MEM_COMMIT with an address and without MEM_RESERVE needs the
 * range reserved; with no address it reserves too. */
Test(vm_win32, commit_needs_a_reservation, .init = setup, .fini = teardown)
{
    cr_expect_eq(alloc_error(VMTEST_LO, P, MEM_COMMIT, PAGE_READWRITE), ERROR_INVALID_ADDRESS);
    cr_expect_eq(as.reserved_pages, 0);
    uintptr_t a = alloc(0, 2 * P, MEM_COMMIT, PAGE_READONLY);
    MEMORY_BASIC_INFORMATION m = query(a);
    cr_expect_eq(m.State, MEM_COMMIT);
    cr_expect_eq(m.Protect, PAGE_READONLY);
    cr_expect_eq(m.AllocationBase, (LPVOID)a);
    cr_expect_eq(alloc_error(a + 2 * P, P, MEM_COMMIT, PAGE_READWRITE), ERROR_INVALID_ADDRESS,
                 "past the reservation");
    /* Rule: a commit over committed pages keeps their contents and gives
     * them the new protection */
    uintptr_t b = alloc(0, 4 * P, MEM_RESERVE, PAGE_READWRITE);
    alloc(b + P, P, MEM_COMMIT, PAGE_READWRITE);
    vm_write8(&as, b + P + 9, 0x3c);
    cr_expect_eq(alloc(b, 3 * P, MEM_COMMIT, PAGE_EXECUTE_READ), b);
    cr_expect_eq(vm_read8(&as, b + P + 9), 0x3c, "contents kept");
    m = query(b);
    cr_expect_eq(m.Protect, PAGE_EXECUTE_READ);
    cr_expect_eq(m.RegionSize, 3 * P, "one protection for all three");
}

/* Rule: MEM_RELEASE names the allocation base with size 0 and frees it
 * all; no other type combines with it. */
Test(vm_win32, release_names_the_base_with_size_zero, .init = setup, .fini = teardown)
{
    uintptr_t a = alloc(0, 4 * P, MEM_RESERVE, PAGE_READWRITE);
    alloc(a + P, P, MEM_COMMIT, PAGE_READWRITE);
    cr_expect_eq(win32_virtual_free(space, (LPVOID)a, 4 * P, MEM_RELEASE), ERROR_INVALID_PARAMETER);
    cr_expect_eq(release(a + P), ERROR_INVALID_ADDRESS);
    cr_expect_eq(win32_virtual_free(space, (LPVOID)a, 0, MEM_RELEASE | MEM_DECOMMIT),
                 ERROR_INVALID_PARAMETER);
    cr_expect_eq(win32_virtual_free(space, (LPVOID)a, 0, 0), ERROR_INVALID_PARAMETER);
    cr_expect_eq(as.reserved_pages, 4, "still there");
    cr_expect_eq(release(a), ERROR_SUCCESS);
    cr_expect_eq(as.reserved_pages, 0);
    cr_expect_eq(release(a), ERROR_INVALID_ADDRESS, "twice");
    /* memory VirtualAlloc did not make (a page-oriented reservation) */
    ADDRESS b = VMTEST_LO + 8 * G;
    cr_assert_eq(as_reserve(&as, &b, P, 0), S_OK);
    cr_expect_eq(release(b), ERROR_INVALID_ADDRESS);
}

/* Rule: decommitting pages never committed succeeds; size 0 decommits
 * from the address to the end of the allocation; free pages fail. */
Test(vm_win32, decommit_of_never_committed_pages_succeeds, .init = setup, .fini = teardown)
{
    uintptr_t a = alloc(0, 8 * P, MEM_RESERVE, PAGE_READWRITE);
    cr_expect_eq(win32_virtual_free(space, (LPVOID)a, 8 * P, MEM_DECOMMIT), ERROR_SUCCESS);
    alloc(a, 8 * P, MEM_COMMIT, PAGE_READWRITE);
    cr_expect_eq(win32_virtual_free(space, (LPVOID)(a + 2 * P + 1), 0, MEM_DECOMMIT),
                 ERROR_SUCCESS);
    cr_expect_eq(query(a).RegionSize, 2 * P);
    cr_expect_eq(query(a + 2 * P).State, MEM_RESERVE);
    cr_expect_eq(query(a + 2 * P).RegionSize, 6 * P);
    cr_expect_eq(win32_virtual_free(space, (LPVOID)(a + P + 1), 1, MEM_DECOMMIT), ERROR_SUCCESS);
    cr_expect_eq(query(a + P).State, MEM_RESERVE, "the page holding the byte");
    cr_expect_eq(query(a).State, MEM_COMMIT);
    cr_expect_eq(as.committed_pages, 1);
    cr_expect_eq(release(a), ERROR_SUCCESS);
    cr_expect_eq(win32_virtual_free(space, (LPVOID)a, P, MEM_DECOMMIT), ERROR_INVALID_ADDRESS);
}

/* Rule: VirtualProtect gives the first page's old protection, needs
 * committed pages and an lpflOldProtect; each PAGE_* maps both ways. */
Test(vm_win32, protect_returns_the_old_protection, .init = setup, .fini = teardown)
{
    static const DWORD prots[] = {PAGE_NOACCESS,
                                  PAGE_READONLY,
                                  PAGE_READWRITE,
                                  PAGE_EXECUTE,
                                  PAGE_EXECUTE_READ,
                                  PAGE_EXECUTE_READWRITE,
                                  PAGE_READWRITE | PAGE_NOCACHE};
    static const uint32_t as_prots[] = {AS_PROT_NONE,
                                        AS_PROT_READ,
                                        AS_PROT_READ | AS_PROT_WRITE,
                                        AS_PROT_EXECUTE,
                                        AS_PROT_EXECUTE | AS_PROT_READ,
                                        AS_PROT_EXECUTE | AS_PROT_READ | AS_PROT_WRITE,
                                        AS_PROT_READ | AS_PROT_WRITE};
    uintptr_t a = alloc(0, 4 * P, MEM_RESERVE, PAGE_READWRITE);
    alloc(a, 2 * P, MEM_COMMIT, PAGE_READWRITE);
    DWORD old = 0, prev = PAGE_READWRITE;
    for (unsigned i = 0; i < sizeof prots / sizeof prots[0]; i++) {
        cr_expect_eq(win32_virtual_protect(space, (LPVOID)a, 2 * P, prots[i], &old), ERROR_SUCCESS);
        cr_expect_eq(old, prev, "protection %#x: old %#x", prots[i], old);
        ADDR_REGION_INFO info;
        cr_assert_eq(as_query(&as, a, &info), S_OK);
        cr_expect_eq(info.Prot, as_prots[i], "protection %#x", prots[i]);
        cr_expect_eq(info.Size, 2 * P);
        prev = prots[i] & 0xff;
    }
    cr_expect_eq(win32_virtual_protect(space, (LPVOID)(a + P), 1, PAGE_READONLY, &old),
                 ERROR_SUCCESS);
    cr_expect_eq(query(a).Protect, PAGE_READWRITE, "only the page holding the byte");
    cr_expect_eq(query(a + P).Protect, PAGE_READONLY);
    old = 0x1234;
    cr_expect_eq(win32_virtual_protect(space, (LPVOID)(a + 2 * P), P, PAGE_READONLY, &old),
                 ERROR_INVALID_ADDRESS, "reserved");
    cr_expect_eq(win32_virtual_protect(space, (LPVOID)(a + P), 2 * P, PAGE_EXECUTE_READ, &old),
                 ERROR_INVALID_ADDRESS, "partly reserved");
    cr_expect_eq(query(a + P).Protect, PAGE_READONLY, "all or nothing");
    cr_expect_eq(old, 0x1234, "left alone on failure");
    cr_expect_eq(win32_virtual_protect(space, (LPVOID)a, P, PAGE_READONLY, NULL), ERROR_NOACCESS);
    cr_expect_eq(win32_virtual_protect(space, (LPVOID)a, P, PAGE_WRITECOPY, &old),
                 ERROR_INVALID_PARAMETER);
    cr_expect_eq(win32_virtual_protect(space, (LPVOID)a, P, PAGE_NOACCESS | PAGE_GUARD, &old),
                 ERROR_INVALID_PARAMETER);
    cr_expect_eq(win32_virtual_protect(space, (LPVOID)a, 0, PAGE_READONLY, &old),
                 ERROR_INVALID_PARAMETER);
    cr_expect_eq(query(a).Protect, PAGE_READWRITE, "failures change nothing");
}

/* Rule: PAGE_GUARD | <prot> (not PAGE_NOACCESS) makes guard pages: the
 * first access raises the guard exception and clears that page's guard;
 * VirtualQuery and VirtualProtect's old protection report it meanwhile. */
Test(vm_win32, page_guard_is_a_one_time_guard, .init = setup, .fini = teardown)
{
    uintptr_t a = alloc(0, 3 * P, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
    cr_expect_eq(query(a).Protect, PAGE_READWRITE | PAGE_GUARD);
    cr_expect_eq(query(a).RegionSize, 3 * P);
    struct access x = vm_access(&as, a + P, AS_PROT_READ);
    cr_expect(!x.ok && x.reason == VMX_GUARD);
    cr_expect_eq(as_clear_guard(&as, a + P), S_OK); /* what the fault does */
    cr_expect_eq(query(a + P).Protect, PAGE_READWRITE, "only the page touched");
    cr_expect_eq(query(a + P).RegionSize, P);
    cr_expect_eq(query(a + 2 * P).Protect, PAGE_READWRITE | PAGE_GUARD);
    vm_write8(&as, a + P, 1);
    DWORD old = 0;
    cr_expect_eq(win32_virtual_protect(space, (LPVOID)a, P, PAGE_EXECUTE_READ | PAGE_GUARD, &old),
                 ERROR_SUCCESS);
    cr_expect_eq(old, PAGE_READWRITE | PAGE_GUARD);
    cr_expect_eq(query(a).Protect, PAGE_EXECUTE_READ | PAGE_GUARD);
    cr_expect_eq(win32_virtual_protect(space, (LPVOID)a, P, PAGE_READONLY, &old), ERROR_SUCCESS);
    cr_expect_eq(old, PAGE_EXECUTE_READ | PAGE_GUARD);
    cr_expect_eq(query(a).Protect, PAGE_READONLY, "Protect sets or clears it");
    /* MEM_COMMIT over committed pages gives them the guard too */
    cr_expect_eq(alloc(a + P, P, MEM_COMMIT, PAGE_READONLY | PAGE_GUARD), a + P);
    cr_expect_eq(query(a + P).Protect, PAGE_READONLY | PAGE_GUARD);
    cr_expect_eq(vm_access(&as, a + P, AS_PROT_READ).reason, VMX_GUARD);
}

/* Rule: VirtualQuery fills MEMORY_BASIC_INFORMATION for free, reserved
 * and committed memory. */
Test(vm_win32, query_fills_memory_basic_information, .init = setup, .fini = teardown)
{
    uintptr_t a = alloc(0, 4 * P, MEM_RESERVE, PAGE_READWRITE);
    alloc(a + P, P, MEM_COMMIT, PAGE_EXECUTE_READ);
    MEMORY_BASIC_INFORMATION m = query(a + P + 123);
    cr_expect_eq(m.BaseAddress, (LPVOID)(a + P));
    cr_expect_eq(m.AllocationBase, (LPVOID)a);
    cr_expect_eq(m.RegionSize, P);
    cr_expect_eq(m.State, MEM_COMMIT);
    cr_expect_eq(m.Protect, PAGE_EXECUTE_READ);
    cr_expect_eq(m.Type, MEM_PRIVATE);
    cr_expect_eq(m.AllocationProtect, PAGE_NOACCESS, "the base page is only reserved");
    m = query(a + 2 * P);
    cr_expect_eq(m.State, MEM_RESERVE);
    cr_expect_eq(m.Protect, 0);
    cr_expect_eq(m.RegionSize, 2 * P);
    cr_expect_eq(m.AllocationBase, (LPVOID)a);
    cr_expect_eq(m.Type, MEM_PRIVATE);
    m = query(a + 4 * P);
    cr_expect_eq(m.State, MEM_FREE);
    cr_expect_eq(m.Protect, PAGE_NOACCESS);
    cr_expect_eq(m.AllocationBase, NULL);
    cr_expect_eq(m.AllocationProtect, 0);
    cr_expect_eq(m.Type, 0);
    cr_expect_eq(m.RegionSize, VMTEST_HI - (a + 4 * P), "free to the end");
    alloc(a, P, MEM_COMMIT, PAGE_READONLY);
    cr_expect_eq(query(a + P).AllocationProtect, PAGE_READONLY, "the base page's");
    SIZE_T n = 1;
    cr_expect_eq(win32_virtual_query(space, (LPCVOID)a, &m, sizeof m - 1, &n), ERROR_BAD_LENGTH);
    cr_expect_eq(n, 0);
    cr_expect_eq(win32_virtual_query(space, (LPCVOID)(uintptr_t)VMTEST_HI, &m, sizeof m, &n),
                 ERROR_INVALID_PARAMETER, "outside the space");
    cr_expect_eq(win32_virtual_query(space, (LPCVOID)a, NULL, sizeof m, &n), ERROR_NOACCESS);
}

/* Rule: invalid combinations fail with Windows' code, and change nothing. */
Test(vm_win32, invalid_combinations_fail_with_windows_codes, .init = setup, .fini = teardown)
{
    static const struct {
        uintptr_t addr;
        SIZE_T size;
        DWORD type, prot, error;
    } cases[] = {
        {0, P, 0, PAGE_READWRITE, ERROR_INVALID_PARAMETER},
        {0, P, MEM_DECOMMIT, PAGE_READWRITE, ERROR_INVALID_PARAMETER},
        {0, P, MEM_RELEASE | MEM_COMMIT, PAGE_READWRITE, ERROR_INVALID_PARAMETER},
        {0, P, MEM_TOP_DOWN, PAGE_READWRITE, ERROR_INVALID_PARAMETER},
        {0, P, MEM_COMMIT | 0x80000, PAGE_READWRITE, ERROR_INVALID_PARAMETER}, /* MEM_RESET */
        {0, 0, MEM_RESERVE, PAGE_READWRITE, ERROR_INVALID_PARAMETER},
        {0, P, MEM_COMMIT, 0, ERROR_INVALID_PARAMETER},
        {0, P, MEM_COMMIT, PAGE_READONLY | PAGE_READWRITE, ERROR_INVALID_PARAMETER},
        {0, P, MEM_COMMIT, PAGE_WRITECOPY, ERROR_INVALID_PARAMETER},
        {0, P, MEM_COMMIT, PAGE_EXECUTE_WRITECOPY, ERROR_INVALID_PARAMETER},
        {0, P, MEM_COMMIT, PAGE_NOACCESS | PAGE_NOCACHE, ERROR_INVALID_PARAMETER},
        {0, P, MEM_COMMIT, PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE,
         ERROR_INVALID_PARAMETER},
        {0, P, MEM_COMMIT, PAGE_READWRITE | 0x800, ERROR_INVALID_PARAMETER},
        {0, P, MEM_COMMIT, PAGE_NOACCESS | PAGE_GUARD, ERROR_INVALID_PARAMETER},
        {0, (SIZE_T)-P, MEM_RESERVE, PAGE_READWRITE, ERROR_INVALID_PARAMETER},
        {VMTEST_LO + G, (SIZE_T)-G, MEM_RESERVE, PAGE_READWRITE, ERROR_INVALID_PARAMETER},
        {VMTEST_HI, P, MEM_RESERVE, PAGE_READWRITE, ERROR_INVALID_PARAMETER}, /* outside */
        {0, VMTEST_HI, MEM_RESERVE, PAGE_READWRITE, ERROR_NOT_ENOUGH_MEMORY},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_expect_eq(alloc_error(cases[i].addr, cases[i].size, cases[i].type, cases[i].prot),
                     cases[i].error, "case %u", i);
    }
    cr_expect_eq(as.reserved_pages, 0);
}

/* Rule: when memory runs out VirtualAlloc fails with
 * ERROR_NOT_ENOUGH_MEMORY and keeps no reservation. */
Test(vm_win32, out_of_memory_keeps_nothing, .init = setup, .fini = teardown)
{
    unsigned failed = 0;
    for (unsigned long k = 1;; k++) { /* the k-th allocation of the VM fails */
        LPVOID p = NULL;
        vm_fail_allocation(k);
        DWORD e =
            win32_virtual_alloc(space, NULL, 8 * P, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &p);
        vm_fail_allocation(0);
        if (e == ERROR_SUCCESS) {
            cr_expect_eq(release((uintptr_t)p), ERROR_SUCCESS);
            break;
        }
        cr_expect_eq(e, ERROR_NOT_ENOUGH_MEMORY, "allocation %lu", k);
        cr_expect_null(p);
        cr_expect_eq(as.reserved_pages, 0, "allocation %lu: nothing kept", k);
        failed++;
    }
    cr_expect_gt(failed, 8, "the reservation's and every page's allocation failed in turn");
    cr_expect_eq(as.committed_pages, 0);
}

/* Rule: GetSystemInfo gives the page size, the 64 KiB granularity and the
 * usable range; GlobalMemoryStatus is IAddressSpace::GetMemoryStatus. */
Test(vm_win32, system_info_and_memory_status, .init = setup, .fini = teardown)
{
    alloc(0, G, MEM_RESERVE, PAGE_READWRITE); /* the bounds' probe steps around it */
    SYSTEM_INFO si;
    memset(&si, 0xee, sizeof si);
    cr_assert_eq(win32_system_info(space, &si), ERROR_SUCCESS);
    cr_expect_eq(si.dwPageSize, P);
    cr_expect_eq(si.dwAllocationGranularity, G);
    cr_expect_eq(si.lpMinimumApplicationAddress, (LPVOID)VMTEST_LO);
    cr_expect_eq(si.lpMaximumApplicationAddress, (LPVOID)(VMTEST_HI - 1));
    cr_expect_eq(si.dwNumberOfProcessors, 1);
    cr_expect_eq(si.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_UNKNOWN);
    cr_expect_eq(as.reserved_pages, G / P, "the probe gave its page back");
    MEMORYSTATUS ms;
    MEMORY_STATUS s;
    alloc(0, 3 * P, MEM_COMMIT, PAGE_READWRITE);
    cr_assert_eq(win32_global_memory_status(space, &ms), ERROR_SUCCESS);
    cr_assert_eq(as_memory_status(&as, &s), S_OK);
    cr_expect_eq(ms.dwLength, sizeof ms);
    cr_expect_eq(ms.dwMemoryLoad, s.MemoryLoad);
    cr_expect_eq(ms.dwTotalPhys, s.TotalPhys);
    cr_expect_eq(ms.dwAvailPhys, s.AvailPhys);
    cr_expect_eq(ms.dwTotalPageFile, s.TotalPageFile);
    cr_expect_eq(ms.dwAvailPageFile, s.AvailPageFile);
    cr_expect_eq(ms.dwTotalVirtual, VMTEST_HI - VMTEST_LO);
    cr_expect_eq(ms.dwAvailVirtual, VMTEST_HI - VMTEST_LO - G - 3 * P);
}

/* Another thread taking the hole between the search and the reservation:
 * the space's Reserve, wrapped so that before an exact Reserve it reserves
 * the range itself `steals` times. */
static const struct IAddressSpaceVtbl *real_vtbl;
static int steals;

static SCODE racy_reserve(IAddressSpace *This, ADDRESS *pAddr, ADDR_SIZE Size, ADDR_FLAGS Flags)
{
    if (!(Flags & AS_ANYWHERE) && steals > 0) {
        steals--;
        ADDRESS at = *pAddr;
        cr_assert_eq(as_reserve(&as, &at, Size, AS_RESERVE_SECTION), S_OK, "the other thread's");
    }
    return real_vtbl->Reserve(This, pAddr, Size, Flags);
}

/* Rule: VirtualAlloc is safe with other threads allocating: a hole taken
 * before it reserves is given up for the next (four tries, then
 * ERROR_INVALID_ADDRESS). */
Test(vm_win32, a_hole_taken_by_another_thread_is_given_up, .init = setup, .fini = teardown)
{
    struct IAddressSpaceVtbl racy = *space->lpVtbl;
    real_vtbl = space->lpVtbl;
    racy.Reserve = racy_reserve;
    space->lpVtbl = &racy;
    steals = 1;
    cr_expect_eq(alloc(0, P, MEM_RESERVE, PAGE_READWRITE), VMTEST_LO + G);
    steals = 1;
    cr_expect_eq(alloc(0, P, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE), VMTEST_HI - 2 * G);
    steals = 3;
    cr_expect_eq(alloc(0, P, MEM_RESERVE, PAGE_READWRITE), VMTEST_LO + 5 * G, "the fourth try");
    steals = 4;
    cr_expect_eq(alloc_error(0, P, MEM_RESERVE, PAGE_READWRITE), ERROR_INVALID_ADDRESS);
    cr_expect_eq(steals, 0);
    space->lpVtbl = real_vtbl;
}

/* GetSystemInfo's range is found by bisection: exact at both ends also
 * for spaces whose bounds are no power of two apart (eight upper bounds a
 * page apart, so the search ends on every kind of last step). */
Test(vm_win32, system_info_finds_odd_bounds_exactly)
{
    static const uintptr_t lo = 0x13000;
    for (uintptr_t hi = 0x2f0000; hi < 0x2f8000; hi += P) {
        struct as odd;
        as_init(&odd, "odd", lo, hi, &vmtest_heap);
        IAddressSpace *s = as_object_create(&odd, NULL, NULL);
        cr_assert_not_null(s);
        SYSTEM_INFO si;
        cr_assert_eq(win32_system_info(s, &si), ERROR_SUCCESS);
        cr_expect_eq(si.lpMinimumApplicationAddress, (LPVOID)lo);
        cr_expect_eq(si.lpMaximumApplicationAddress, (LPVOID)(hi - 1), "hi %#lx",
                     (unsigned long)hi);
        s->lpVtbl->Release(s);
        as_destroy(&odd);
    }
}
