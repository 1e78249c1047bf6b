/* The Win32 memory functions of <windows.h> in a process: lib/win32.c's
 * core over CurrentAddressSpace, each failure kept as the last error.
 * Windows keeps one last error per thread; here the process has one (the
 * runtime has no thread-local storage yet). */
#include "win32.h"
#include <rialto.h>

static DWORD last_error;

DWORD GetLastError(void)
{
    return last_error;
}

void SetLastError(DWORD dwErrCode)
{
    last_error = dwErrCode;
}

/* Windows leaves the last error alone on success. */
static bool done(DWORD err)
{
    if (err)
        last_error = err;
    return !err;
}

LPVOID VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType, DWORD flProtect)
{
    LPVOID p;
    done(win32_virtual_alloc(CurrentAddressSpace(), lpAddress, dwSize, flAllocationType, flProtect,
                             &p));
    return p;
}

BOOL VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType)
{
    return done(win32_virtual_free(CurrentAddressSpace(), lpAddress, dwSize, dwFreeType));
}

BOOL VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect, PDWORD lpflOldProtect)
{
    return done(win32_virtual_protect(CurrentAddressSpace(), lpAddress, dwSize, flNewProtect,
                                      lpflOldProtect));
}

SIZE_T VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer, SIZE_T dwLength)
{
    SIZE_T n;
    done(win32_virtual_query(CurrentAddressSpace(), lpAddress, lpBuffer, dwLength, &n));
    return n;
}

void GlobalMemoryStatus(LPMEMORYSTATUS lpBuffer)
{
    done(win32_global_memory_status(CurrentAddressSpace(), lpBuffer));
}

void GetSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    done(win32_system_info(CurrentAddressSpace(), lpSystemInfo));
}

void SetVirtualAllocZero(int on)
{
    win32_alloc_zero = on;
}
