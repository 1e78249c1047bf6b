// Method signatures, as idlc generates them (NAME_sig.c) and the kernel
// registers them: enough for a transport to bounds-check, bias or copy every
// argument of a call without knowing the interface.
#ifndef COM_SIG_H
#define COM_SIG_H

#include <com/com.h>
#include <stddef.h>
#include <stdint.h>

// How an argument travels.
enum com_arg_kind {
    COM_ARG_VALUE,     // copied with the argument block
    COM_ARG_IN_PTR,    // points to data the callee reads
    COM_ARG_OUT_PTR,   // points to data the callee writes
    COM_ARG_INOUT_PTR, // both
    COM_ARG_STRING,    // NUL-terminated char string the callee reads
    COM_ARG_IFACE_IN,  // com_handle_t in the block (marshalled by the proxy)
    COM_ARG_IFACE_OUT, // com_handle_t * the callee writes one handle through
};

#define COM_ARG_UNIQUE 0x01 // the pointer may be NULL
#define COM_NO_PARAM   0xFF // no size_is / length_is / iid_is parameter

// A pointer embedded in a struct that a pointer argument points to.
struct com_field_sig {
    uint8_t kind;       // COM_ARG_IN_PTR or COM_ARG_STRING
    uint8_t flags;      // COM_ARG_UNIQUE
    uint16_t offset;    // of the pointer within the struct
    uint32_t elem_size; // size of one pointed-to element
    int16_t size_field; // offset of the integer field that counts elements, or -1
    uint8_t size_field_size;
};

struct com_arg_sig {
    uint8_t kind;                       // enum com_arg_kind
    uint8_t flags;                      // COM_ARG_UNIQUE
    uint8_t size_param;                 // index of the size_is parameter, or COM_NO_PARAM
    uint8_t length_param;               // index of the length_is parameter, or COM_NO_PARAM
    uint8_t iid_param;                  // index of the iid_is parameter, or COM_NO_PARAM
    uint8_t nfields;                    // entries in fields
    uint16_t offset;                    // of the argument in the argument block
    uint32_t size;                      // of the value in the block; of one element for pointers
    const IID *iid;                     // interface of an interface pointer, unless iid_param
    const struct com_field_sig *fields; // embedded pointers of the pointee
};

struct com_method_sig {
    const char *name;
    uint16_t nargs;
    uint16_t block_size; // sizeof the argument block
    const struct com_arg_sig *args;
};

// Every method of an interface, inherited ones first, by method index.
struct com_iface_sig {
    const IID *iid;
    const char *name;
    uint16_t nmethods;
    const struct com_method_sig *const *methods;
};

// A server stub: unmarshals the argument block and calls the object.
typedef SCODE com_dispatch_fn(void *obj, uint32_t method, void *args);

#endif
