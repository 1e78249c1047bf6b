/* test_map: IAddressSpace::Map from a user process (paper 2.2, 3.4.1).
 * The kernel passes another address space's IMemoryObject (or a live
 * process's IProcess) as the Extra handle; QueryInterface gives that
 * space's IAddressSpace, so this program plays both sides: it allocates
 * in the source, writes there through a shared mapping ("the source
 * writes") and maps it copy-on-write, plainly, without exceptions, through
 * views, and in chains. Free pages are counted after each step; the
 * exceptions a plain mapping raises are caught by a handler that puts a
 * page of our own there so the program goes on.
 *   test_map space     the Extra is an address space's IMemoryObject
 *   test_map process   the Extra is a live process's IProcess */
#include <rialto.h>
#include <string.h>
#include <utest.h>

#define PG  4096u
#define RW  (AS_PROT_READ | AS_PROT_WRITE)
#define ANY AS_ANYWHERE

static IAddressSpace *me, *src;
static IMemoryObject *srcmem;

static volatile struct { /* the handler changes it behind the compiler's back */
    int count;
    ADDRESS address;
    uint32_t access;
} fault;

/* An access violation: note it, and put a zeroed page of our own where it
 * happened so the access goes on. */
static int on_fault(const EXCEPTION_RECORD *r)
{
    if (r->Code != 0xC0000005u)
        return EXCEPTION_CONTINUE_SEARCH;
    fault.count++;
    fault.address = r->Address;
    fault.access = r->Access;
    ADDRESS page = r->Address & ~(ADDRESS)(PG - 1);
    if (IAddressSpace_Deallocate(me, page, PG) ||
        IAddressSpace_Allocate(me, &page, PG, RW | AS_COMMIT_ALLOC_ZERO))
        return EXCEPTION_CONTINUE_SEARCH;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static volatile unsigned char *at(ADDRESS a)
{
    return (volatile unsigned char *)a;
}

/* Free physical pages now. */
static unsigned long avail(void)
{
    MEMORY_STATUS st;
    CHECK_EQ(IAddressSpace_GetMemoryStatus(me, &st), S_OK);
    return (unsigned long)(st.AvailPhys / PG);
}

/* n pages in the source space, page k holding 0x10 + k (written through a
 * shared mapping *w of them, which the caller keeps: the source's hand). */
static ADDRESS source(unsigned n, ADDRESS *w)
{
    ADDRESS a = 0;
    *w = 0;
    CHECK_EQ(IAddressSpace_Allocate(src, &a, n * PG, ANY | RW), S_OK);
    CHECK_EQ(IAddressSpace_Map(me, w, n * PG, ANY | RW, srcmem, a), S_OK);
    for (unsigned k = 0; k < n; k++)
        at(*w)[k * PG] = (unsigned char)(0x10 + k);
    return a;
}

static ADDRESS map(unsigned n, uint32_t flags, IMemoryObject *m, ADDRESS offset)
{
    ADDRESS b = 0;
    CHECK_EQ(IAddressSpace_Map(me, &b, n * PG, ANY | flags, m, offset), S_OK);
    return b;
}

/* Read a; expect exactly one access violation there. */
static void expect_fault(ADDRESS a, int write)
{
    fault.count = 0;
    if (write)
        at(a)[0] = 1;
    else
        (void)at(a)[0];
    CHECK_EQ(fault.count, 1);
    CHECK_EQ(fault.address, a);
    CHECK_EQ(fault.access, (uint32_t)(write ? 1 : 0));
}

/* The source writes after the mapper copied, the mapper writes, both
 * directions, deallocation of each side; pages counted at each step. */
static void copy_on_write(void)
{
    unsigned long base = avail();
    ADDRESS w, a = source(4, &w);
    unsigned long s0 = avail();
    ADDRESS c = map(4, RW | AS_MAP_COPY_ON_WRITE, srcmem, a);
    unsigned long s1 = avail();
    CHECK_EQ(at(c)[2 * PG], 0x12);
    CHECK_EQ(avail(), s1);    /* reading copies nothing */
    at(w)[2 * PG - 1] = 0x5f; /* the last byte of page 1: the copy must take it too */
    at(w)[PG] = 0x51;
    CHECK_EQ(at(c)[PG], 0x51); /* the source's write, before any copy */
    at(c)[PG] = 0xc1;
    CHECK_EQ(avail(), s1 - 1); /* the mapper's write took one page */
    CHECK_EQ(at(w)[PG], 0x51); /* and the source does not see it */
    CHECK_EQ(at(c)[2 * PG - 1], 0x5f);
    at(w)[PG] = 0x52;
    CHECK_EQ(at(c)[PG], 0xc1); /* the source writes after the copy: hidden */
    at(w)[3 * PG] = 0x53;
    CHECK_EQ(at(c)[3 * PG], 0x53); /* uncopied pages keep showing the source */
    CHECK_EQ(IAddressSpace_Deallocate(me, c, 4 * PG), S_OK);
    CHECK_EQ(avail(), s0); /* the copy and the mapping's nodes are back */
    CHECK_EQ(at(w)[PG], 0x52);
    at(w)[PG + 1] = 0x77; /* the shared mapping: the mapper's write is the source's */
    ADDRESS r = map(4, AS_PROT_READ, srcmem, a);
    CHECK_EQ(at(r)[PG + 1], 0x77);
    CHECK_EQ(IAddressSpace_Deallocate(src, a, 4 * PG), S_OK); /* the source side goes */
    CHECK_EQ(avail(), s0 + 4 - 0);
    expect_fault(r + 2 * PG, 0); /* a plain mapping of a freed source raises */
    CHECK_EQ(at(r)[2 * PG], 0);  /* (the handler put a zeroed page there) */
    CHECK_EQ(IAddressSpace_Deallocate(me, r, 4 * PG), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(me, w, 4 * PG), S_OK);
    CHECK_EQ(avail(), base);
}

/* Paper 3.4.1: a no-exception mapping of a freed source reads the
 * scratch page (zeros) where a plain mapping raises an exception; once the
 * source is back, it shows the source again. */
static void no_exception(void)
{
    unsigned long base = avail();
    ADDRESS w, a = source(2, &w);
    ADDRESS n = map(2, RW | AS_MAP_NO_EXCEPTION, srcmem, a);
    ADDRESS p = map(2, AS_PROT_READ, srcmem, a);
    CHECK_EQ(at(n)[PG], 0x11);
    CHECK_EQ(IAddressSpace_Deallocate(src, a, 2 * PG), S_OK);
    unsigned long s = avail();
    fault.count = 0;
    unsigned sum = 0;
    for (unsigned k = 0; k < 2 * PG; k += 64)
        sum += at(n)[k];
    at(n)[100] = 9; /* writes go to the scratch page too */
    CHECK_EQ(sum, 0);
    CHECK_EQ(fault.count, 0); /* no exception */
    CHECK_EQ(avail(), s);     /* and no page for it */
    expect_fault(p + PG, 0);  /* while the plain mapping raises */
    ADDRESS again = a;
    CHECK_EQ(IAddressSpace_Allocate(src, &again, 2 * PG, RW), S_OK);
    at(w)[PG + 3] = 0x33;
    CHECK_EQ(at(n)[PG + 3], 0x33); /* the source is back: no scratch page any more */
    CHECK_EQ(IAddressSpace_Deallocate(src, a, 2 * PG), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(me, n, 2 * PG), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(me, p, 2 * PG), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(me, w, 2 * PG), S_OK);
    CHECK_EQ(avail(), base);
}

/* A read-only view refuses a writable mapping and, mapped read-only, a
 * write; a view of it narrows further and never widens. */
static void views(void)
{
    unsigned long base = avail();
    ADDRESS w, a = source(4, &w);
    IMemoryObject *ro = 0, *inner = 0, *wider = (IMemoryObject *)1;
    CHECK_EQ(IMemoryObject_RestrictedAccess(srcmem, a + PG, 2 * PG, AS_PROT_READ, &ro), S_OK);
    if (!ro)
        return;
    CHECK_EQ(IMemoryObject_RestrictedAccess(ro, 0, PG, RW, &wider), VM_E_ACCESS_DENIED);
    CHECK(wider == 0, "nothing handed out");
    CHECK_EQ(IMemoryObject_RestrictedAccess(ro, PG, 2 * PG, AS_PROT_READ, &wider),
             VM_E_OUT_OF_RANGE);
    CHECK_EQ(IMemoryObject_RestrictedAccess(ro, PG, PG, AS_PROT_READ, &inner), S_OK);
    ADDR_SIZE rg = 0, mg = 0; /* offsets and sizes come in the map granularity */
    CHECK_EQ(IAddressSpace_ReservationInformation(me, &rg, &mg), S_OK);
    ADDRESS b = 0;
    CHECK_EQ(IAddressSpace_Map(me, &b, mg, ANY | AS_PROT_READ, ro, mg / 2), VM_E_UNALIGNED_ADDRESS);
    CHECK_EQ(IAddressSpace_Map(me, &b, mg / 2, ANY | AS_PROT_READ, ro, 0), VM_E_UNALIGNED_SIZE);
    CHECK_EQ(IAddressSpace_Map(me, &b, 2 * PG, ANY | RW, ro, 0), VM_E_ACCESS_DENIED);
    b = map(2, AS_PROT_READ, ro, 0);
    CHECK_EQ(at(b)[PG], 0x12);
    expect_fault(b + PG, 1); /* the write beyond the view's protection */
    CHECK_EQ(at(w)[2 * PG], 0x12);
    if (inner) {
        ADDRESS i = map(1, AS_PROT_READ, inner, 0);
        CHECK_EQ(at(i)[0], 0x12); /* offsets are the parent view's */
        CHECK_EQ(IAddressSpace_Deallocate(me, i, PG), S_OK);
        IMemoryObject_Release(inner);
    }
    IAddressSpace *none = (IAddressSpace *)1;
    CHECK_EQ(IMemoryObject_QueryInterface(ro, &IID_IAddressSpace, (void **)&none), E_NOINTERFACE);
    IMemoryObject_Release(ro);
    CHECK_EQ(IAddressSpace_Deallocate(me, b, 2 * PG), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(me, w, 4 * PG), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(src, a, 4 * PG), S_OK);
    CHECK_EQ(avail(), base);
}

/* Chains: the source maps this process's mapping of it (through our own
 * IMemoryObject, from the process object), and we map that: z -> src[y]
 * -> me[x] -> src[a], three links. A copy-on-write link in the middle
 * takes a write from above; deallocating the middle breaks the chain. */
static void chains(void)
{
    unsigned long base = avail();
    IMemoryObject *mine = 0;
    CHECK_EQ(IProcess_QueryInterface(CurrentProcess(), &IID_IMemoryObject, (void **)&mine), S_OK);
    if (!mine)
        return;
    ADDRESS w, a = source(2, &w);
    ADDRESS x = map(2, RW, srcmem, a), y = 0;
    CHECK_EQ(IAddressSpace_Map(src, &y, 2 * PG, ANY | RW | AS_MAP_COPY_ON_WRITE, mine, x), S_OK);
    ADDRESS z = map(2, RW, srcmem, y);
    CHECK_EQ(at(z)[PG], 0x11); /* three links down */
    at(w)[PG] = 0x21;
    CHECK_EQ(at(z)[PG], 0x21); /* the bottom's write shows at the top */
    unsigned long s = avail();
    at(z)[PG] = 0x31; /* copied at the copy-on-write link, in the source */
    CHECK_EQ(avail(), s - 1);
    CHECK_EQ(at(z)[PG], 0x31);
    CHECK_EQ(at(x)[PG], 0x21); /* below the copy nothing changed */
    at(x)[PG] = 0x41;
    CHECK_EQ(at(z)[PG], 0x31); /* and the copy hides it */
    CHECK_EQ(at(z)[0], 0x10);
    CHECK_EQ(IAddressSpace_Deallocate(me, x, 2 * PG), S_OK); /* the middle goes */
    expect_fault(z, 0);
    CHECK_EQ(at(z + PG)[0], 0x31); /* the copied page is the source's own */
    CHECK_EQ(IAddressSpace_Deallocate(me, z, 2 * PG), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(src, y, 2 * PG), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(src, a, 2 * PG), S_OK);
    CHECK_EQ(IAddressSpace_Deallocate(me, w, 2 * PG), S_OK);
    IMemoryObject_Release(mine);
    CHECK_EQ(avail(), base);
}

/* The Extra handle: a memory object, or a process (paper 2.2: QueryInterface
 * from any process interface gives its IMemoryObject). */
static int open_source(const char *mode)
{
    const IID *iid = !strcmp(mode, "process") ? &IID_IProcess : &IID_IMemoryObject;
    IUnknown *extra = 0;
    if (com_unmarshal_interface(StartHandle(), iid, (void **)&extra) || !extra)
        return 90;
    if (IUnknown_QueryInterface(extra, &IID_IMemoryObject, (void **)&srcmem) || !srcmem)
        return 91;
    if (IMemoryObject_QueryInterface(srcmem, &IID_IAddressSpace, (void **)&src) || !src)
        return 92;
    IUnknown_Release(extra);
    return 0;
}

int main(int argc, char **argv)
{
    me = CurrentAddressSpace();
    int sc = open_source(argc > 1 ? argv[1] : "space");
    if (sc)
        return sc;
    if (SetExceptionHandler(on_fault))
        return 93;
    copy_on_write();
    no_exception();
    views();
    chains();
    IAddressSpace_Release(src);
    IMemoryObject_Release(srcmem);
    printf("test_map: %d failures\n", utest_failures);
    return utest_failures;
}
