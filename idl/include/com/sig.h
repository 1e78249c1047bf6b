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
    COM_ARG_VALUE,           // copied with the argument block
    COM_ARG_IN_PTR,          // points to data the callee reads
    COM_ARG_OUT_PTR,         // points to data the callee writes
    COM_ARG_INOUT_PTR,       // both
    COM_ARG_STRING,          // NUL-terminated char string the callee reads
    COM_ARG_IFACE_IN,        // com_handle_t in the block (marshalled by the proxy)
    COM_ARG_IFACE_OUT,       // com_handle_t * the callee writes one handle through
    COM_ARG_IFACE_IN_ARRAY,  // com_handle_t * to size_is handles the callee reads
    COM_ARG_IFACE_OUT_ARRAY, // com_handle_t * to size_is handles the callee writes;
                             // length_is of them (all if no length_is) come back
};

#define COM_ARG_UNIQUE 0x01 // the pointer may be NULL
#define COM_NO_PARAM   0xFF // no iid_is parameter

// A size_is or length_is expression, as a postfix program ending with
// COM_EXPR_END (at most COM_EXPR_MAX ops, at most 8 values on the stack).
// PARAM pushes the integer argument `param` of the block (zero-extended
// from its size); DEREF pushes the integer argument `param` points to (an
// IN_PTR, OUT_PTR or INOUT_PTR of one integer element of args[param].size
// bytes). The operators pop two values and push one; a transport evaluates
// in 64 bits and refuses (RPC_E_INVALID_BOUND) overflow, a negative result
// or a division by zero. size_is is evaluated before the call, from the
// caller's values. length_is of an [in] or [in, out] argument is evaluated
// before the call; of an [out] argument after it, from the callee's values
// (so `length_is(*pcbRead)` is what the callee stored in *pcbRead), and the
// transport copies back exactly that many elements, refusing a length
// larger than the size.
enum com_expr_opcode {
    COM_EXPR_END,
    COM_EXPR_CONST, // push value
    COM_EXPR_PARAM,
    COM_EXPR_DEREF,
    COM_EXPR_ADD,
    COM_EXPR_SUB,
    COM_EXPR_MUL,
    COM_EXPR_DIV,
};
#define COM_EXPR_MAX 16

struct com_expr_op {
    uint8_t op;     // enum com_expr_opcode
    uint8_t param;  // PARAM, DEREF: the argument's index
    uint32_t value; // CONST
};

// A pointer embedded in a struct that a pointer argument points to. When the
// argument is an array (size_is), every field description applies to every
// element: element i's pointer is at i * size + offset and its count at
// i * size + size_field. Only [in] arguments have fields.
struct com_field_sig {
    uint8_t kind;       // COM_ARG_IN_PTR or COM_ARG_STRING
    uint8_t flags;      // COM_ARG_UNIQUE
    uint16_t offset;    // of the pointer within the struct
    uint32_t elem_size; // size of one pointed-to element
    int16_t size_field; // offset of the integer field that counts elements, or -1
    uint8_t size_field_size;
};

struct com_arg_sig {
    uint8_t kind;                        // enum com_arg_kind
    uint8_t flags;                       // COM_ARG_UNIQUE
    uint8_t iid_param;                   // index of the iid_is parameter, or COM_NO_PARAM
    uint8_t nfields;                     // entries in fields
    uint16_t offset;                     // of the argument in the argument block
    uint32_t size;                       // of the value in the block; of one element for pointers
    const IID *iid;                      // interface of an interface pointer, unless iid_param
    const struct com_expr_op *size_is;   // element count; NULL: one element
    const struct com_expr_op *length_is; // elements transmitted; NULL: all of size_is
    const struct com_field_sig *fields;  // embedded pointers of the pointee
};

struct com_method_sig {
    const char *name;
    uint16_t nargs;
    uint16_t block_size; // sizeof the argument block
    const struct com_arg_sig *args;
};

// Every method of an interface, inherited ones first, by method index. A
// [local] method has no signature (NULL): a transport refuses it with
// RPC_E_BADMETHOD.
struct com_iface_sig {
    const IID *iid;
    const char *name;
    uint16_t nmethods;
    const struct com_method_sig *const *methods;
};

// A coclass: its class identifier and the interfaces it implements, in the
// order the IDL lists them ([default] first).
struct com_coclass_sig {
    const CLSID *clsid;
    const char *name;
    uint16_t ninterfaces;
    const IID *const *interfaces;
};

// A server stub: unmarshals the argument block and calls the object.
typedef SCODE com_dispatch_fn(void *obj, uint32_t method, void *args);

#endif
