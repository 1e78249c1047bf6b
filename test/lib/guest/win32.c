/* The Win32 memory functions (lib/win32.c) in the kernel, on both arches:
 * the same code a process runs over CurrentAddressSpace, here over an
 * IAddressSpace object of the kernel's own space, its memory reached at
 * its addresses through the arch's MMU. The runner's leak check then sees
 * every page and node come back. */
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/object.h>
#include <kernel/vm/trap.h>
#include <lib/win32.h>

#define PG PAGE_SIZE
#define G  WIN32_GRANULARITY

static bool reads(uintptr_t a, uint32_t want)
{
    uint32_t v;
    return arch_probe_read32((volatile uint32_t *)a, &v) && v == want;
}

KTEST(win32_memory_functions_in_the_kernel)
{
    IAddressSpace *space = as_object_create(&kernel_as, NULL, NULL);
    KT_ASSERT(space);
    /* Rule: a chosen reservation starts on 64 KiB; commits are zero-filled */
    LPVOID p = NULL;
    KT_ASSERT_EQ(win32_virtual_alloc(space, NULL, 8 * PG, MEM_RESERVE, PAGE_READWRITE, &p),
                 ERROR_SUCCESS);
    uintptr_t a = (uintptr_t)p;
    KT_ASSERT(a >= KERNEL_MAPPED_BASE && a % G == 0);
    KT_ASSERT_EQ(
        win32_virtual_alloc(space, (LPVOID)(a + PG + 8), 2 * PG, MEM_COMMIT, PAGE_READWRITE, &p),
        ERROR_SUCCESS);
    KT_ASSERT_EQ((uintptr_t)p, a + PG);
    for (uintptr_t off = PG; off < 4 * PG; off += 256)
        KT_ASSERT(reads(a + off, 0));
    KT_ASSERT(arch_probe_write32((volatile uint32_t *)(a + PG), 0x5eed));
    KT_ASSERT(reads(a + PG, 0x5eed));
    KT_ASSERT(!reads(a, 0)); /* only reserved */
    /* Rule: VirtualProtect gives the old protection; VirtualQuery reports */
    DWORD old = 0;
    KT_ASSERT_EQ(win32_virtual_protect(space, (LPVOID)(a + PG), PG, PAGE_READONLY, &old),
                 ERROR_SUCCESS);
    KT_ASSERT_EQ(old, PAGE_READWRITE);
    KT_ASSERT(!arch_probe_write32((volatile uint32_t *)(a + PG), 1));
    KT_ASSERT(reads(a + PG, 0x5eed));
    MEMORY_BASIC_INFORMATION m;
    SIZE_T n = 0;
    KT_ASSERT_EQ(win32_virtual_query(space, (LPCVOID)(a + 2 * PG), &m, sizeof m, &n),
                 ERROR_SUCCESS);
    KT_ASSERT_EQ(n, sizeof m);
    KT_ASSERT_EQ((uintptr_t)m.BaseAddress, a + 2 * PG);
    KT_ASSERT_EQ((uintptr_t)m.AllocationBase, a);
    KT_ASSERT_EQ(m.State, MEM_COMMIT);
    KT_ASSERT_EQ(m.Protect, PAGE_READWRITE);
    KT_ASSERT_EQ(m.RegionSize, 2 * PG); /* to the page holding the last byte */
    KT_ASSERT_EQ(m.Type, MEM_PRIVATE);
    /* Rule: decommit of never-committed pages succeeds; release needs the
     * base with size 0 */
    KT_ASSERT_EQ(win32_virtual_free(space, (LPVOID)(a + 4 * PG), 4 * PG, MEM_DECOMMIT),
                 ERROR_SUCCESS);
    KT_ASSERT_EQ(win32_virtual_free(space, (LPVOID)(a + PG), 0, MEM_RELEASE),
                 ERROR_INVALID_ADDRESS);
    KT_ASSERT_EQ(win32_virtual_free(space, (LPVOID)a, 8 * PG, MEM_RELEASE),
                 ERROR_INVALID_PARAMETER);
    KT_ASSERT_EQ(win32_virtual_free(space, (LPVOID)a, 0, MEM_RELEASE), ERROR_SUCCESS);
    KT_ASSERT(!reads(a + PG, 0x5eed));
    /* Rule: MEM_TOP_DOWN takes the space's highest granule; GetSystemInfo
     * gives the space's range */
    SYSTEM_INFO si;
    KT_ASSERT_EQ(win32_system_info(space, &si), ERROR_SUCCESS);
    KT_ASSERT_EQ((uintptr_t)si.lpMinimumApplicationAddress, KERNEL_MAPPED_BASE);
    KT_ASSERT_EQ((uintptr_t)si.lpMaximumApplicationAddress, KERNEL_MAPPED_END - 1);
    KT_ASSERT_EQ(si.dwPageSize, PG);
    KT_ASSERT_EQ(si.dwAllocationGranularity, G);
    KT_ASSERT_EQ(win32_virtual_alloc(space, NULL, PG, MEM_RESERVE | MEM_COMMIT | MEM_TOP_DOWN,
                                     PAGE_READWRITE, &p),
                 ERROR_SUCCESS);
    KT_ASSERT_EQ((uintptr_t)p, KERNEL_MAPPED_END - G);
    KT_ASSERT(reads((uintptr_t)p, 0));
    KT_ASSERT_EQ(win32_virtual_free(space, p, 0, MEM_RELEASE), ERROR_SUCCESS);
    /* Rule: GlobalMemoryStatus is the space's GetMemoryStatus */
    MEMORYSTATUS ms;
    KT_ASSERT_EQ(win32_global_memory_status(space, &ms), ERROR_SUCCESS);
    KT_ASSERT_EQ(ms.dwTotalVirtual, KERNEL_MAPPED_END - KERNEL_MAPPED_BASE);
    KT_ASSERT(ms.dwAvailPhys > 0 && ms.dwAvailPhys <= ms.dwTotalPhys);
    space->lpVtbl->Release(space);
}
