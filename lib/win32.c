/* The Win32 memory functions over IAddressSpace (paper 2.1), the pure
 * core: every function takes the space it works on, so a process (over
 * CurrentAddressSpace, lib/win32_api.c), the kernel (over a kernel space
 * object) and the host tests (over kernel/vm) run the same code.
 *
 * Windows' rules followed:
 *   - Every reservation is a section (AS_RESERVE_SECTION) starting on the
 *     64 KiB allocation granularity: a given address is rounded down to
 *     it; with no address one is chosen (bottom up, or with MEM_TOP_DOWN
 *     the highest hole, found by walking the space with Query). The end is
 *     rounded up to a page: the pages holding any byte of the range.
 *   - MEM_RELEASE must name the allocation base with size 0 and frees the
 *     whole allocation; MEM_DECOMMIT of pages never committed succeeds;
 *     size 0 decommits from the address to the end of the allocation.
 *   - MEM_COMMIT commits zero-filled pages (AS_COMMIT_ALLOC_ZERO); without
 *     MEM_RESERVE and with an address it needs the range reserved inside
 *     one allocation; with no address it reserves too. Pages already
 *     committed keep their contents and take the new protection.
 *   - VirtualProtect needs committed pages and gives the first page's old
 *     protection; VirtualQuery fills MEMORY_BASIC_INFORMATION from Query.
 *   - PAGE_GUARD | <prot> (not with PAGE_NOACCESS) is AS_PROT_GUARD: the
 *     first access raises STATUS_GUARD_PAGE_VIOLATION (0x80000001) and
 *     clears the guard of that page; VirtualQuery and VirtualProtect's
 *     old protection report PAGE_GUARD while it is set.
 *   - Errors: ERROR_INVALID_PARAMETER for bad flags, protections, sizes
 *     and addresses outside the space, ERROR_INVALID_ADDRESS for a range
 *     in the wrong state (in use, free, not a base, across allocations),
 *     ERROR_NOT_ENOUGH_MEMORY when memory or address space runs out,
 *     ERROR_NOACCESS for a NULL lpflOldProtect, ERROR_BAD_LENGTH for a
 *     short VirtualQuery buffer; PAGE_WRITECOPY and PAGE_EXECUTE_WRITECOPY
 *     are refused, as Windows refuses them for private memory.
 * Not followed (lib/README and docs/ARCHITECTURE.md say why):
 *   - PAGE_NOCACHE and PAGE_WRITECOMBINE are accepted and ignored.
 *   - AllocationProtect is the allocation's first page's protection now
 *     (PAGE_NOACCESS if it is not committed): IAddressSpace keeps no
 *     protection for reserved pages.
 *   - MEM_RESET, MEM_PHYSICAL, MEM_LARGE_PAGES, MEM_WRITE_WATCH: refused.
 *   - The last error is one per process, not per thread (lib/win32_api.c). */
#include "win32.h"

/* The page size of both arches (GetSystemInfo reports the space's own). */
#define PG 0x1000u
#define G  WIN32_GRANULARITY

bool win32_alloc_zero = true;

static uintptr_t round_down(uintptr_t a, uintptr_t to)
{
    return a & ~(to - 1);
}

/* The end of [a, a + size) rounded up to a page; false if it wraps. */
static bool page_end(uintptr_t a, SIZE_T size, uintptr_t *end)
{
    uintptr_t e = a + size;
    if (e < a || e > (uintptr_t)-G)
        return false;
    *end = round_down(e + PG - 1, PG);
    return true;
}

/* Windows' error for an IAddressSpace failure. */
static DWORD error_of(SCODE sc)
{
    switch (sc) {
    case S_OK:
        return ERROR_SUCCESS;
    case VM_E_NO_MEMORY:
    case VM_E_NO_ADDRESS_SPACE:
        return ERROR_NOT_ENOUGH_MEMORY;
    case VM_E_IN_USE:
    case VM_E_NOT_RESERVED:
    case VM_E_NOT_COMMITTED:
    case VM_E_SECTION_BOUNDARY:
    case VM_E_NOT_SECTION_BASE:
    case VM_E_BAD_SOURCE:
        return ERROR_INVALID_ADDRESS;
    case VM_E_NULL_POINTER:
    case VM_E_EXCEPTION:
        return ERROR_NOACCESS;
    default: /* unaligned, zero size, wrap, out of range, bad flags */
        return ERROR_INVALID_PARAMETER;
    }
}

/* A PAGE_* protection as AS_PROT_* bits, or Windows' error. */
static DWORD prot_of(DWORD prot, uint32_t *as_prot)
{
    DWORD base = prot & 0xffu, mods = prot & ~0xffu;
    if (mods & ~(DWORD)(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE))
        return ERROR_INVALID_PARAMETER;
    if ((mods & PAGE_NOCACHE) && (mods & PAGE_WRITECOMBINE))
        return ERROR_INVALID_PARAMETER;
    if (mods && base == PAGE_NOACCESS)
        return ERROR_INVALID_PARAMETER;
    switch (base) {
    case PAGE_NOACCESS:
        *as_prot = AS_PROT_NONE;
        break;
    case PAGE_READONLY:
        *as_prot = AS_PROT_READ;
        break;
    case PAGE_READWRITE:
        *as_prot = AS_PROT_READ | AS_PROT_WRITE;
        break;
    case PAGE_EXECUTE:
        *as_prot = AS_PROT_EXECUTE;
        break;
    case PAGE_EXECUTE_READ:
        *as_prot = AS_PROT_EXECUTE | AS_PROT_READ;
        break;
    case PAGE_EXECUTE_READWRITE:
        *as_prot = AS_PROT_EXECUTE | AS_PROT_READ | AS_PROT_WRITE;
        break;
    default: /* none, several, or the copy-on-write ones (not for private memory) */
        return ERROR_INVALID_PARAMETER;
    }
    if (mods & PAGE_GUARD)
        *as_prot |= AS_PROT_GUARD;
    return ERROR_SUCCESS;
}

/* AS_PROT_* bits as a PAGE_* protection. */
static DWORD page_prot(uint32_t as_prot)
{
    bool r = as_prot & AS_PROT_READ, w = as_prot & AS_PROT_WRITE, x = as_prot & AS_PROT_EXECUTE;
    DWORD guard = as_prot & AS_PROT_GUARD ? PAGE_GUARD : 0;
    if (x)
        return guard | (w ? PAGE_EXECUTE_READWRITE : r ? PAGE_EXECUTE_READ : PAGE_EXECUTE);
    return guard | (w ? PAGE_READWRITE : r ? PAGE_READONLY : PAGE_NOACCESS);
}

static bool usable(IAddressSpace *space, uintptr_t a)
{
    ADDR_REGION_INFO info;
    return SUCCEEDED(space->lpVtbl->Query(space, a, &info));
}

/* Between a usable page `good` and an unusable one `bad` (on either side
 * of it), the usable page nearest `bad`, by bisection. */
static uintptr_t last_usable(IAddressSpace *space, uintptr_t good, uintptr_t bad)
{
    for (;;) {
        uintptr_t lo = good < bad ? good : bad, hi = good < bad ? bad : good;
        if (hi - lo <= PG)
            return good;
        uintptr_t mid = round_down(lo + (hi - lo) / 2, PG);
        if (usable(space, mid))
            good = mid;
        else
            bad = mid;
    }
}

/* The space's usable range [*lo, *hi): found from one free page (the
 * system's choice) by bisection with Query, which refuses addresses
 * outside it. */
static SCODE space_bounds(IAddressSpace *space, uintptr_t *lo, uintptr_t *hi)
{
    ADDRESS p = 0;
    SCODE sc = space->lpVtbl->Reserve(space, &p, PG, AS_ANYWHERE);
    if (FAILED(sc))
        return sc;
    space->lpVtbl->Deallocate(space, p, PG);
    uintptr_t top = (uintptr_t)-PG;
    *lo = usable(space, 0) ? 0 : last_usable(space, p, 0);
    *hi = (usable(space, top) ? top : last_usable(space, p, top)) + PG;
    return S_OK;
}

/* An address on the granularity where `len` bytes are free: the lowest
 * (the system's choice of a hole with room to align in), or with top_down
 * the highest (a walk over every region with Query). */
static SCODE find_hole(IAddressSpace *space, uintptr_t len, bool top_down, uintptr_t *base)
{
    if (!top_down) {
        ADDRESS p = 0;
        SCODE sc = space->lpVtbl->Reserve(space, &p, len + G - PG, AS_ANYWHERE);
        if (FAILED(sc))
            return sc;
        space->lpVtbl->Deallocate(space, p, len + G - PG);
        *base = round_down(p + G - 1, G);
        return S_OK;
    }
    uintptr_t lo, hi, best = 0;
    bool found = false;
    SCODE sc = space_bounds(space, &lo, &hi);
    if (FAILED(sc))
        return sc;
    for (uintptr_t a = lo; a < hi;) {
        ADDR_REGION_INFO info;
        sc = space->lpVtbl->Query(space, a, &info);
        if (FAILED(sc) || !info.Size)
            return FAILED(sc) ? sc : VM_E_NO_ADDRESS_SPACE;
        uintptr_t end = info.Base + info.Size;
        if (info.State == AS_STATE_FREE && info.Size >= len) {
            uintptr_t cand = round_down(end - len, G);
            if (cand >= info.Base) {
                best = cand;
                found = true;
            }
        }
        a = end;
    }
    if (!found)
        return VM_E_NO_ADDRESS_SPACE;
    *base = best;
    return S_OK;
}

/* Reserve a section of len bytes at a hole found for it; another thread
 * may take the hole first, so try a few times. */
static SCODE reserve_anywhere(IAddressSpace *space, uintptr_t len, bool top_down, ADDRESS *base)
{
    SCODE sc = VM_E_NO_ADDRESS_SPACE;
    for (int tries = 0; tries < 4; tries++) {
        uintptr_t b;
        sc = find_hole(space, len, top_down, &b);
        if (FAILED(sc))
            return sc;
        *base = b;
        sc = space->lpVtbl->Reserve(space, base, len, AS_RESERVE_SECTION);
        if (sc != VM_E_IN_USE)
            return sc;
    }
    return sc;
}

DWORD win32_virtual_alloc(IAddressSpace *space, LPVOID addr, SIZE_T size, DWORD type, DWORD prot,
                          LPVOID *result)
{
    *result = NULL;
    uint32_t as_prot;
    if (size == 0 || (type & ~(DWORD)(MEM_COMMIT | MEM_RESERVE | MEM_TOP_DOWN)) ||
        !(type & (MEM_COMMIT | MEM_RESERVE)))
        return ERROR_INVALID_PARAMETER;
    DWORD err = prot_of(prot, &as_prot);
    if (err)
        return err;
    uint32_t commit = as_prot | (win32_alloc_zero ? AS_COMMIT_ALLOC_ZERO : 0);
    uintptr_t a = (uintptr_t)addr, end;
    SCODE sc;
    if (!(type & MEM_RESERVE) && addr) { /* commit inside a reservation */
        if (!page_end(a, size, &end))
            return ERROR_INVALID_PARAMETER;
        uintptr_t base = round_down(a, PG);
        sc = space->lpVtbl->Commit(space, base, end - base, commit);
        /* Commit leaves pages already committed as they were; Windows
         * gives them the new protection (contents kept) */
        if (SUCCEEDED(sc))
            sc = space->lpVtbl->Protect(space, base, end - base, as_prot);
        if (FAILED(sc))
            return error_of(sc);
        *result = (LPVOID)base;
        return ERROR_SUCCESS;
    }
    ADDRESS base;
    if (addr) {
        base = round_down(a, G);
        if (!page_end(a, size, &end))
            return ERROR_INVALID_PARAMETER;
        sc = space->lpVtbl->Reserve(space, &base, end - base, AS_RESERVE_SECTION);
    } else {
        if (!page_end(0, size, &end))
            return ERROR_INVALID_PARAMETER;
        sc = reserve_anywhere(space, end, type & MEM_TOP_DOWN, &base);
        end += base;
    }
    if (FAILED(sc))
        return error_of(sc);
    if (type & MEM_COMMIT) {
        sc = space->lpVtbl->Commit(space, base, end - base, commit);
        if (FAILED(sc)) {
            space->lpVtbl->Deallocate(space, base, 0);
            return error_of(sc);
        }
    }
    *result = (LPVOID)base;
    return ERROR_SUCCESS;
}

DWORD win32_virtual_free(IAddressSpace *space, LPVOID addr, SIZE_T size, DWORD type)
{
    uintptr_t a = round_down((uintptr_t)addr, PG), end;
    SCODE sc;
    if (type == MEM_RELEASE) {
        if (size != 0)
            return ERROR_INVALID_PARAMETER;
        sc = space->lpVtbl->Deallocate(space, a, 0);
    } else if (type == MEM_DECOMMIT) {
        if (size == 0) {
            sc = space->lpVtbl->Decommit(space, a, 0);
        } else {
            if (!page_end((uintptr_t)addr, size, &end))
                return ERROR_INVALID_PARAMETER;
            sc = space->lpVtbl->Decommit(space, a, end - a);
        }
    } else {
        return ERROR_INVALID_PARAMETER;
    }
    /* size 0 outside a section: memory VirtualAlloc did not allocate */
    if (sc == VM_E_ZERO_SIZE)
        return ERROR_INVALID_ADDRESS;
    return error_of(sc);
}

DWORD win32_virtual_protect(IAddressSpace *space, LPVOID addr, SIZE_T size, DWORD prot, PDWORD old)
{
    uint32_t as_prot;
    if (!old)
        return ERROR_NOACCESS;
    DWORD err = prot_of(prot, &as_prot);
    if (err)
        return err;
    uintptr_t a = round_down((uintptr_t)addr, PG), end;
    if (size == 0 || !page_end((uintptr_t)addr, size, &end))
        return ERROR_INVALID_PARAMETER;
    ADDR_REGION_INFO info;
    SCODE sc = space->lpVtbl->Query(space, a, &info);
    if (FAILED(sc))
        return error_of(sc);
    /* Protect checks the whole range before it changes any of it: a page
     * not committed fails it all (VM_E_NOT_COMMITTED or NOT_RESERVED) */
    sc = space->lpVtbl->Protect(space, a, end - a, as_prot);
    if (FAILED(sc))
        return error_of(sc);
    *old = page_prot(info.Prot);
    return ERROR_SUCCESS;
}

DWORD win32_virtual_query(IAddressSpace *space, LPCVOID addr, PMEMORY_BASIC_INFORMATION mbi,
                          SIZE_T length, SIZE_T *written)
{
    *written = 0;
    if (!mbi)
        return ERROR_NOACCESS;
    if (length < sizeof *mbi)
        return ERROR_BAD_LENGTH;
    ADDR_REGION_INFO info, first;
    SCODE sc = space->lpVtbl->Query(space, round_down((uintptr_t)addr, PG), &info);
    if (FAILED(sc))
        return error_of(sc);
    MEMORY_BASIC_INFORMATION m = {
        .BaseAddress = (LPVOID)info.Base,
        .RegionSize = info.Size,
    };
    if (info.State == AS_STATE_FREE) {
        m.State = MEM_FREE;
        m.Protect = PAGE_NOACCESS;
    } else {
        m.AllocationBase = (LPVOID)info.ReservationBase;
        m.State = info.State == AS_STATE_COMMITTED ? MEM_COMMIT : MEM_RESERVE;
        m.Protect = info.State == AS_STATE_COMMITTED ? page_prot(info.Prot) : 0;
        m.Type = info.Type == AS_TYPE_MAPPED ? MEM_MAPPED : MEM_PRIVATE;
        sc = space->lpVtbl->Query(space, info.ReservationBase, &first);
        m.AllocationProtect = SUCCEEDED(sc) && first.State == AS_STATE_COMMITTED
                                  ? page_prot(first.Prot)
                                  : PAGE_NOACCESS;
    }
    *mbi = m;
    *written = sizeof *mbi;
    return ERROR_SUCCESS;
}

DWORD win32_global_memory_status(IAddressSpace *space, LPMEMORYSTATUS status)
{
    MEMORY_STATUS s;
    SCODE sc = space->lpVtbl->GetMemoryStatus(space, &s);
    if (FAILED(sc))
        return error_of(sc);
    *status = (MEMORYSTATUS){
        .dwLength = sizeof *status,
        .dwMemoryLoad = s.MemoryLoad,
        .dwTotalPhys = s.TotalPhys,
        .dwAvailPhys = s.AvailPhys,
        .dwTotalPageFile = s.TotalPageFile,
        .dwAvailPageFile = s.AvailPageFile,
        .dwTotalVirtual = s.TotalVirtual,
        .dwAvailVirtual = s.AvailVirtual,
    };
    return ERROR_SUCCESS;
}

DWORD win32_system_info(IAddressSpace *space, LPSYSTEM_INFO info)
{
    ADDR_SIZE reserve_granularity, page;
    uintptr_t lo, hi;
    SCODE sc = space->lpVtbl->ReservationInformation(space, &reserve_granularity, &page);
    if (SUCCEEDED(sc))
        sc = space_bounds(space, &lo, &hi);
    if (FAILED(sc))
        return error_of(sc);
    *info = (SYSTEM_INFO){
        .wProcessorArchitecture = PROCESSOR_ARCHITECTURE_UNKNOWN,
        .dwPageSize = page,
        .lpMinimumApplicationAddress = (LPVOID)lo,
        .lpMaximumApplicationAddress = (LPVOID)(hi - 1),
        .dwActiveProcessorMask = 1,
        .dwNumberOfProcessors = 1,
        .dwAllocationGranularity = G,
    };
    return ERROR_SUCCESS;
}
