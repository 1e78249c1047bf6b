/* IAddressSpace::Map on the fuzzer's own space (the random calls never
 * Map: a writable view of its own image would let the kernel write over
 * it). Sources: its own space's IMemoryObject, and another space's read-
 * only view when the server registered one ("fz-mem", server.c), or any
 * handle it holds (not a memory object: refused). The destination is
 * where Map cannot reach the fuzzer: anywhere the kernel chooses, the
 * arena, or out of range. Edge sizes, offsets and flags (bad protections,
 * unknown bits); a mapping made is read page by page where reads cannot
 * fault (no-exception views), then freed. Checked where the
 * documentation determines it: its own space is refused as a source
 * (VM_E_BAD_SOURCE); the other space's view reads the server's pattern,
 * refuses writing (VM_E_ACCESS_DENIED) but maps copy-on-write, keeping
 * its writes private; Map out of the user range fails. */
#include "fuzz.h"
#include <string.h>

#define PG        4096u
#define ARENA_TOP 0x80000000u
#define PATTERN   0xf22a0000u /* the server's page words: PATTERN + word index */

static uint32_t mine, theirs; /* IMemoryObject handles; 0: none */

static IAddressSpace *space(void)
{
    return CurrentAddressSpace();
}

static uint32_t handle_of_space(void)
{
    return ((struct com_proxy *)space())->handle;
}

static SCODE map(ADDRESS *a, uint32_t size, uint32_t flags, uint32_t obj, uint32_t offset)
{
    struct IAddressSpace_Map_args m = {a, size, flags, obj, offset};
    return fz_invoke(handle_of_space(), IAddressSpace_M_Map, &m);
}

static void unmap(ADDRESS a, uint32_t size)
{
    IAddressSpace_Deallocate(space(), a, size);
}

/* The memory objects, once: Map takes the caller's reference to pMemObj
 * (an [in] interface), so each Map lends one (fz_lend). */
static void sources(void)
{
    static int done;
    if (done++)
        return;
    struct IUnknown_QueryInterface_args q = {&IID_IMemoryObject, &mine};
    if (fz_invoke(((struct com_proxy *)CurrentProcess())->handle, 0, &q) == S_OK)
        fz_add_handle(mine, &IMemoryObject_Signature, 1);
    IUnknown *o = 0;
    if (INameService_Lookup(NameService(), "fz-mem", &IID_IMemoryObject, (void **)&o) == S_OK) {
        theirs = ((struct com_proxy *)o)->handle;
        fz_add_handle(theirs, &IMemoryObject_Signature, 1);
    }
}

static void expect(SCODE got, SCODE want, const char *what)
{
    if (got != want)
        fz_wrong(handle_of_space(), IAddressSpace_M_Map, what, got);
}

/* Its own space as the source: refused (VM_E_BAD_SOURCE, "Map refuses a
 * source in the mapper's own space"). */
static void own_space(void)
{
    ADDRESS v = 0;
    expect(map(&v, PG, AS_ANYWHERE | AS_PROT_READ, fz_lend(mine), 0x00400000), VM_E_BAD_SOURCE,
           "VM_E_BAD_SOURCE (a view of its own space)");
}

/* A copy-on-write view of the server's pages reads their pattern and
 * keeps its own writes: a plain view still reads the pattern. */
static void private_copy(void)
{
    ADDRESS v = 0, w = 0;
    SCODE sc = map(&v, PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_MAP_COPY_ON_WRITE,
                   fz_lend(theirs), PG);
    if (sc == E_OUTOFMEMORY || sc == VM_E_NO_ADDRESS_SPACE)
        return;
    expect(sc, S_OK, "S_OK (a copy-on-write view of the server's pages)");
    volatile uint32_t *q = (volatile uint32_t *)v;
    if (q[5] != PATTERN + 1024 + 5)
        fz_wrong(theirs, IAddressSpace_M_Map, "the server's pattern (copy-on-write)", (SCODE)q[5]);
    q[5] = 0x600d;
    sc = map(&w, PG, AS_ANYWHERE | AS_PROT_READ, fz_lend(theirs), PG);
    if (sc == S_OK && ((volatile uint32_t *)w)[5] != PATTERN + 1024 + 5)
        fz_wrong(theirs, IAddressSpace_M_Map, "the pattern under a private write",
                 (SCODE)((volatile uint32_t *)w)[5]);
    if (q[5] != 0x600d)
        fz_wrong(theirs, IAddressSpace_M_Map, "its private write kept", (SCODE)q[5]);
    unmap(v, PG);
    if (sc == S_OK)
        unmap(w, PG);
}

/* The server's pages: its pattern through a read-only view; a writable
 * view refused. */
static void their_pages(void)
{
    ADDRESS v = 0;
    uint32_t n = 1 + fz_rand() % 4;
    expect(map(&v, n * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE, fz_lend(theirs), 0),
           VM_E_ACCESS_DENIED, "VM_E_ACCESS_DENIED (a writable view of a read-only object)");
    SCODE sc = map(&v, n * PG, AS_ANYWHERE | AS_PROT_READ, fz_lend(theirs), 0);
    if (sc == E_OUTOFMEMORY || sc == VM_E_NO_ADDRESS_SPACE)
        return;
    expect(sc, S_OK, "S_OK (a read-only view of the server's pages)");
    for (uint32_t i = 0; i < n * PG / 4; i += 1 + fz_rand() % 512) {
        uint32_t w = ((volatile uint32_t *)v)[i];
        if (w != PATTERN + i)
            fz_wrong(theirs, IAddressSpace_M_Map, "the server's pattern", (SCODE)w);
    }
    unmap(v, n * PG);
}

static uint32_t edge(const uint32_t *v, unsigned n)
{
    return fz_rand() % 4 ? v[fz_rand() % n] : fz_rand();
}

/* Anything: where, how much, how, of what. */
static void random_map(void)
{
    static const uint32_t sizes[] = {0, 1, PG, 2 * PG, 16 * PG, 0x7ffff000, 0xfffff000, PG - 1};
    static const uint32_t addrs[] = {
        0,          ARENA_TOP - 16 * PG, ARENA_TOP - PG, ARENA_TOP,
        0xc0000000, 0xfffff000,          0x1000,         ARENA_TOP - 3 * PG + 1};
    static const uint32_t flags[] = {AS_PROT_READ,
                                     AS_PROT_WRITE,
                                     AS_PROT_NONE,
                                     AS_PROT_READ | AS_PROT_GUARD,
                                     AS_MAP_COPY_ON_WRITE,
                                     0x80000000,
                                     AS_PROT_READ | AS_MAP_NO_EXCEPTION};
    uint32_t size = edge(sizes, 8), f = edge(flags, 7) | (fz_rand() % 2 ? AS_ANYWHERE : 0);
    ADDRESS a = f & AS_ANYWHERE ? fz_rand() : edge(addrs, 8);
    if (!(f & AS_ANYWHERE) && a < ARENA_TOP - 256 * PG && a >= 0x10000u) /* the fuzzer's own */
        a = ARENA_TOP - PG * (1 + fz_rand() % 64);
    uint32_t obj = fz_rand() % 4 ? (fz_rand() % 4 && theirs ? theirs : mine) : fz_any_handle();
    uint32_t offset = fz_rand() % 2 ? PG * (fz_rand() % 6) : edge(sizes, 8);
    ADDRESS want = a;
    SCODE sc = map(&a, size, f, fz_lend(obj), offset);
    uint64_t end = (uint64_t)want + size;
    if (!(f & AS_ANYWHERE) && size && (want >= ARENA_TOP || end > ARENA_TOP) && sc == S_OK)
        fz_wrong(handle_of_space(), IAddressSpace_M_Map, "a failure (out of the user range)", sc);
    if (FAILED(sc))
        return;
    if ((f & (AS_MAP_NO_EXCEPTION | AS_PROT_READ)) == (AS_MAP_NO_EXCEPTION | AS_PROT_READ))
        for (uint32_t i = 0; i < size && i < 16 * PG; i += PG)
            (void)((volatile uint32_t *)a)[i / 4];
    unmap(a, size);
}

void fz_map(void)
{
    sources();
    uint32_t r = fz_rand() % 8;
    if (r == 0 && mine)
        own_space();
    else if (r == 1 && theirs)
        private_copy();
    else if (r == 2 && theirs)
        their_pages();
    else if (mine)
        random_map();
}
