/* test_vm: every IAddressSpace method through the proxy idlc generated,
 * on the process's own space, each result checked against what Query
 * (the kernel's tree) says afterwards. In, out and in-out pointers: Reserve
 * and Allocate's address, Query's and GetMemoryStatus's structures. */
#include <rialto.h>
#include <string.h>
#include <utest.h>

#define PG 4096u

static ADDR_REGION_INFO query(ADDRESS a)
{
    ADDR_REGION_INFO info;
    memset(&info, 0xee, sizeof info);
    CHECK_EQ(IAddressSpace_Query(CurrentAddressSpace(), a, &info), S_OK);
    return info;
}

static void reserve_commit_protect_decommit_deallocate(IAddressSpace *as)
{
    ADDRESS a = 0;
    CHECK_EQ(IAddressSpace_Reserve(as, &a, 8 * PG, AS_ANYWHERE), S_OK);
    CHECK(a != 0 && a % PG == 0, "Reserve wrote the address back: %#lx", (unsigned long)a);
    ADDR_REGION_INFO i = query(a);
    CHECK_EQ(i.State, AS_STATE_RESERVED);
    CHECK_EQ(i.Base, a);
    CHECK_EQ(i.Size, 8 * PG);
    CHECK_EQ(IAddressSpace_Commit(as, a + PG, 2 * PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    i = query(a + PG);
    CHECK_EQ(i.State, AS_STATE_COMMITTED);
    CHECK_EQ(i.Size, 2 * PG);
    CHECK_EQ(i.Prot, AS_PROT_READ | AS_PROT_WRITE);
    memset((void *)(a + PG), 0x5a, 2 * PG);
    CHECK_EQ(((volatile unsigned char *)a)[PG + 100], 0x5a);
    CHECK_EQ(IAddressSpace_Protect(as, a + PG, PG, AS_PROT_READ), S_OK);
    CHECK_EQ(query(a + PG).Prot, AS_PROT_READ);
    CHECK_EQ(IAddressSpace_Protect(as, a, PG, AS_PROT_READ), VM_E_NOT_COMMITTED);
    CHECK_EQ(IAddressSpace_Decommit(as, a + PG, 2 * PG), S_OK);
    CHECK_EQ(query(a + PG).State, AS_STATE_RESERVED);
    CHECK_EQ(IAddressSpace_Deallocate(as, a, 8 * PG), S_OK);
    CHECK_EQ(query(a).State, AS_STATE_FREE);
    CHECK_EQ(IAddressSpace_Deallocate(as, a, 8 * PG), VM_E_NOT_RESERVED);
}

static void allocate_zero_and_auto_commit(IAddressSpace *as)
{
    ADDRESS a = 0;
    CHECK_EQ(IAddressSpace_Allocate(
                 as, &a, 4 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_ALLOC_ZERO),
             S_OK);
    unsigned zeros = 0;
    for (unsigned k = 0; k < 4 * PG; k++)
        zeros += ((volatile unsigned char *)a)[k] == 0;
    CHECK_EQ(zeros, 4 * PG);
    CHECK_EQ(IAddressSpace_Deallocate(as, a, 4 * PG), S_OK);
    a = 0;
    CHECK_EQ(IAddressSpace_Allocate(as, &a, 4 * PG,
                                    AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO),
             S_OK);
    MEMORY_STATUS before, after;
    CHECK_EQ(IAddressSpace_GetMemoryStatus(as, &before), S_OK);
    ((volatile char *)a)[3 * PG] = 1; /* an auto-commit fault from user mode */
    CHECK_EQ(IAddressSpace_GetMemoryStatus(as, &after), S_OK);
    CHECK(after.AvailPhys < before.AvailPhys, "the touch took a page: %lu -> %lu",
          (unsigned long)before.AvailPhys, (unsigned long)after.AvailPhys);
    CHECK(before.TotalPhys > 0 && before.Length == sizeof before, "status filled in");
    CHECK_EQ(IAddressSpace_Deallocate(as, a, 4 * PG), S_OK);
}

/* Map through the proxy, with an interface pointer argument (a handle the
 * kernel turns back into the memory object): a view of the process's own
 * space cannot be mapped into that same space (a mapping's source is
 * another space; apps/test_map maps those), and more access than the view
 * allows is refused before that. */
static void map_refuses_its_own_space(IAddressSpace *as)
{
    ADDRESS src = 0, dst = 0;
    CHECK_EQ(IAddressSpace_Allocate(as, &src, 2 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE),
             S_OK);
    IMemoryObject *mem = 0, *view = 0;
    CHECK_EQ(IAddressSpace_QueryInterface(as, &IID_IMemoryObject, (void **)&mem), S_OK);
    CHECK(mem != 0, "QueryInterface gave IMemoryObject");
    if (!mem)
        return;
    CHECK_EQ(IMemoryObject_RestrictedAccess(mem, src, 2 * PG, AS_PROT_READ, &view), S_OK);
    CHECK(view != 0, "RestrictedAccess gave a view");
    if (view) {
        CHECK_EQ(IAddressSpace_Map(as, &dst, 2 * PG, AS_ANYWHERE | AS_PROT_READ, view, 0),
                 VM_E_BAD_SOURCE);
        CHECK_EQ(IAddressSpace_Map(as, &dst, 2 * PG, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE,
                                   view, 0),
                 VM_E_ACCESS_DENIED);
        IMemoryObject_Release(view);
    }
    IMemoryObject_Release(mem);
    CHECK_EQ(IAddressSpace_Deallocate(as, src, 2 * PG), S_OK);
}

/* QueryInterface moves among a process's interfaces both ways. */
static void process_interfaces(IAddressSpace *as)
{
    IProcess *p = 0;
    CHECK_EQ(IAddressSpace_QueryInterface(as, &IID_IProcess, (void **)&p), S_OK);
    uint32_t id = 0, mine = 1;
    CHECK(p != 0, "IAddressSpace gave IProcess");
    if (p) {
        CHECK_EQ(IProcess_GetId(p, &id), S_OK);
        IProcess_Release(p);
    }
    CHECK_EQ(IProcess_GetId(CurrentProcess(), &mine), S_OK);
    CHECK_EQ(id, mine);
    IThread *t = 0;
    CHECK_EQ(IAddressSpace_QueryInterface(as, &IID_IThread, (void **)&t), E_NOINTERFACE);
}

int main(void)
{
    IAddressSpace *as = CurrentAddressSpace();
    process_interfaces(as);
    reserve_commit_protect_decommit_deallocate(as);
    allocate_zero_and_auto_commit(as);
    map_refuses_its_own_space(as);
    ADDR_SIZE rg = 0, mg = 0;
    CHECK_EQ(IAddressSpace_ReservationInformation(as, &rg, &mg), S_OK);
    CHECK(rg >= PG && mg >= PG, "granularities %lu %lu", (unsigned long)rg, (unsigned long)mg);
    printf("test_vm: %d failures\n", utest_failures);
    return utest_failures;
}
