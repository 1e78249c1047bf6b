// The COM runtime contract shared by idlc's generated code, the kernel and
// user programs. Freestanding: only <stdint.h>, <stddef.h> and <stdbool.h>.
//
// The base types below are also known to idlc (idlc/prelude.c declares the
// same ones for clang); test/idlc/prelude.c fails when the two differ.
#ifndef COM_COM_H
#define COM_COM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t SCODE;
typedef int32_t HRESULT;
typedef uint8_t BYTE;
typedef uint8_t byte;
typedef bool boolean;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef uint32_t ULONG;
typedef int32_t LONG;
typedef int32_t BOOL;
typedef int64_t hyper;

// A GUID's fields in the usual textual order, 8-4-4-4-12.
typedef struct GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
typedef GUID IID;
typedef const IID *REFIID;
typedef GUID CLSID;
typedef const CLSID *REFCLSID;

#define SUCCEEDED(sc) ((SCODE)(sc) >= 0)
#define FAILED(sc)    ((SCODE)(sc) < 0)

#define S_OK            ((SCODE)0)
#define S_FALSE         ((SCODE)1)
#define E_NOTIMPL       ((SCODE)0x80004001)
#define E_NOINTERFACE   ((SCODE)0x80004002)
#define E_POINTER       ((SCODE)0x80004003)
#define E_ABORT         ((SCODE)0x80004004)
#define E_FAIL          ((SCODE)0x80004005)
#define E_UNEXPECTED    ((SCODE)0x8000FFFF)
#define E_ACCESSDENIED  ((SCODE)0x80070005)
#define E_OUTOFMEMORY   ((SCODE)0x8007000E)
#define E_INVALIDARG    ((SCODE)0x80070057)
#define E_HANDLE        ((SCODE)0x80070006)
#define RPC_E_BADMETHOD ((SCODE)0x80010111)
// A length_is count larger than its size_is capacity, or a count too large
// to allocate (HRESULT_FROM_WIN32(RPC_X_INVALID_BOUND)).
#define RPC_E_INVALID_BOUND ((SCODE)0x800706C6)

static inline bool com_iid_equal(const IID *a, const IID *b)
{
    if (a->Data1 != b->Data1 || a->Data2 != b->Data2 || a->Data3 != b->Data3)
        return false;
    for (int i = 0; i < 8; i++)
        if (a->Data4[i] != b->Data4[i])
            return false;
    return true;
}

// An object handle names an object across protection domains; what it means
// is the transport's business (a kernel handle-table index, a test's table).
typedef uint32_t com_handle_t;

// Every generated proxy object starts like this: the vtbl a caller sees, and
// the handle of the remote object the proxy forwards to.
struct com_proxy {
    const void *lpVtbl;
    com_handle_t handle;
};

#include <com/sig.h>

// The hooks generated code calls; the environment (the kernel, the user
// runtime, a host test) implements them.

// The transport entry point every proxy method calls: invoke method `method`
// of interface `iid` on object `obj` with the method's argument block. In
// user programs it traps into the kernel; in host tests it is a loopback.
SCODE com_invoke(com_handle_t obj, const IID *iid, uint32_t method, void *args);

// Turns a local interface pointer into a handle for an argument block. It
// never consumes the caller's reference. A NULL pointer gives handle 0.
SCODE com_marshal_interface(void *itf, const IID *iid, com_handle_t *out);

// Turns a handle from an argument block into an interface pointer: a proxy,
// or the object itself when it is local. The result holds one reference
// (released with com_release_interface). Handle 0 gives NULL.
SCODE com_unmarshal_interface(com_handle_t h, const IID *iid, void **out);

// Releases a reference obtained from com_unmarshal_interface or from an
// [out] interface pointer of an implementation.
void com_release_interface(void *itf);

// Drops a handle that will never be passed on or unmarshalled: one made by
// com_marshal_interface for a call that then did not take place (a later
// argument failed to marshal), or one received that the caller cannot
// unmarshal. A handle passed to com_invoke belongs to the transport.
void com_release_handle(com_handle_t h);

// Every proxy's AddRef and Release: the environment counts the proxy's
// references and tells the transport (IUnknown's AddRef and Release on the
// handle) only as much as it needs to.
SCODE com_proxy_addref(void *proxy);
SCODE com_proxy_release(void *proxy);

// The runtime's allocator, for the arrays of interface pointers proxies and
// stubs translate (and, later, out data the caller frees). com_alloc(0)
// returns a unique pointer or NULL; com_free(NULL) does nothing.
void *com_alloc(size_t n);
void com_free(void *p);

#endif
