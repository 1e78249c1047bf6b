/* The subset of Win32 that Rialto's applications were written to (paper
 * 2.1): the memory functions over the process's IAddressSpace
 * (CurrentAddressSpace), with Windows' types, constants, error codes and
 * documented rules; lib/win32.c has the rules and what is not followed. */
#ifndef WINDOWS_H
#define WINDOWS_H

#include <stddef.h>
#include <stdint.h>

typedef int BOOL;
typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef DWORD *PDWORD;
typedef size_t SIZE_T;
typedef uintptr_t DWORD_PTR;
typedef void *LPVOID;
typedef const void *LPCVOID;

#ifndef TRUE
#define TRUE  1
#define FALSE 0
#endif

/* VirtualAlloc's and VirtualFree's types, VirtualQuery's State and Type. */
#define MEM_COMMIT   0x00001000u
#define MEM_RESERVE  0x00002000u
#define MEM_DECOMMIT 0x00004000u
#define MEM_RELEASE  0x00008000u
#define MEM_FREE     0x00010000u
#define MEM_PRIVATE  0x00020000u
#define MEM_MAPPED   0x00040000u
#define MEM_TOP_DOWN 0x00100000u
#define MEM_IMAGE    0x01000000u

/* Protections: one of the first eight, with at most these modifiers. */
#define PAGE_NOACCESS          0x01u
#define PAGE_READONLY          0x02u
#define PAGE_READWRITE         0x04u
#define PAGE_WRITECOPY         0x08u
#define PAGE_EXECUTE           0x10u
#define PAGE_EXECUTE_READ      0x20u
#define PAGE_EXECUTE_READWRITE 0x40u
#define PAGE_EXECUTE_WRITECOPY 0x80u
#define PAGE_GUARD             0x100u
#define PAGE_NOCACHE           0x200u
#define PAGE_WRITECOMBINE      0x400u

/* GetLastError's codes (winerror.h). */
#define ERROR_SUCCESS           0u
#define ERROR_NOT_ENOUGH_MEMORY 8u
#define ERROR_OUTOFMEMORY       14u
#define ERROR_BAD_LENGTH        24u
#define ERROR_NOT_SUPPORTED     50u
#define ERROR_INVALID_PARAMETER 87u
#define ERROR_INVALID_ADDRESS   487u
#define ERROR_NOACCESS          998u

typedef struct _MEMORY_BASIC_INFORMATION {
    LPVOID BaseAddress;
    LPVOID AllocationBase;
    DWORD AllocationProtect;
    SIZE_T RegionSize;
    DWORD State;
    DWORD Protect;
    DWORD Type;
} MEMORY_BASIC_INFORMATION, *PMEMORY_BASIC_INFORMATION;

typedef struct _MEMORYSTATUS {
    DWORD dwLength;
    DWORD dwMemoryLoad;
    SIZE_T dwTotalPhys;
    SIZE_T dwAvailPhys;
    SIZE_T dwTotalPageFile;
    SIZE_T dwAvailPageFile;
    SIZE_T dwTotalVirtual;
    SIZE_T dwAvailVirtual;
} MEMORYSTATUS, *LPMEMORYSTATUS;

#define PROCESSOR_ARCHITECTURE_UNKNOWN 0xffffu

typedef struct _SYSTEM_INFO {
    union {
        DWORD dwOemId;
        struct {
            WORD wProcessorArchitecture;
            WORD wReserved;
        };
    };
    DWORD dwPageSize;
    LPVOID lpMinimumApplicationAddress;
    LPVOID lpMaximumApplicationAddress;
    DWORD_PTR dwActiveProcessorMask;
    DWORD dwNumberOfProcessors;
    DWORD dwProcessorType;
    DWORD dwAllocationGranularity;
    WORD wProcessorLevel;
    WORD wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;

/* Over CurrentAddressSpace(); each failure sets the last error. */
LPVOID VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType, DWORD flProtect);
BOOL VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType);
BOOL VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect, PDWORD lpflOldProtect);
SIZE_T VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer, SIZE_T dwLength);
void GlobalMemoryStatus(LPMEMORYSTATUS lpBuffer);
void GetSystemInfo(LPSYSTEM_INFO lpSystemInfo);
/* One last error for the whole process (Windows keeps one per thread). */
DWORD GetLastError(void);
void SetLastError(DWORD dwErrCode);

#endif
