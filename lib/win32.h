/* The pure core of the Win32 memory functions (lib/win32.c): each takes
 * the IAddressSpace it works on and returns the Windows error code
 * (ERROR_SUCCESS or what GetLastError would give), so the same code runs
 * in a process over CurrentAddressSpace (lib/win32_api.c), in the kernel
 * over a kernel space object (test/lib/guest) and on the host over the
 * kernel's VM (test/vm/win32.c). */
#ifndef LIB_WIN32_H
#define LIB_WIN32_H

#include "include/windows.h"
#include <IAddressSpace.h>
#include <stdbool.h>

/* Windows' allocation granularity: reservations start on it. */
#define WIN32_GRANULARITY 0x10000u

/* Whether VirtualAlloc commits with AS_COMMIT_ALLOC_ZERO (Windows' rule,
 * the default). Off, committed pages are only erased (or reused unerased):
 * the paper's second measurement (2.1); no program should turn it off. */
extern bool win32_alloc_zero;

DWORD win32_virtual_alloc(IAddressSpace *space, LPVOID addr, SIZE_T size, DWORD type, DWORD prot,
                          LPVOID *result);
DWORD win32_virtual_free(IAddressSpace *space, LPVOID addr, SIZE_T size, DWORD type);
DWORD win32_virtual_protect(IAddressSpace *space, LPVOID addr, SIZE_T size, DWORD prot, PDWORD old);
/* *written: sizeof *mbi on success, 0 on failure (VirtualQuery's result). */
DWORD win32_virtual_query(IAddressSpace *space, LPCVOID addr, PMEMORY_BASIC_INFORMATION mbi,
                          SIZE_T length, SIZE_T *written);
DWORD win32_global_memory_status(IAddressSpace *space, LPMEMORYSTATUS status);
DWORD win32_system_info(IAddressSpace *space, LPSYSTEM_INFO info);

#endif
