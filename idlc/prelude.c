// The declarations clang sees before every IDL file: the base types of
// <com/com.h>, spelled so that a host-independent C++ parse accepts them.
// Only their names matter to idlc (sizes come from sizeof in generated C).
#include "idlc.h"

const char idlc_prelude_name[] = "/<idlc>/prelude.h";

// Where the empty standard headers a C header may include live for clang.
const char idlc_std_dir[] = "/<idlc>/include";
const char *const idlc_std_headers[] = {"stdint.h", "stddef.h", "stdbool.h", NULL};

const char idlc_prelude[] = "typedef signed char int8_t;\n"
                            "typedef unsigned char uint8_t;\n"
                            "typedef short int16_t;\n"
                            "typedef unsigned short uint16_t;\n"
                            "typedef int int32_t;\n"
                            "typedef unsigned int uint32_t;\n"
                            "typedef long long int64_t;\n"
                            "typedef unsigned long long uint64_t;\n"
                            "typedef unsigned long uintptr_t;\n"
                            "typedef long intptr_t;\n"
                            "typedef unsigned long size_t;\n"
                            "typedef int32_t SCODE;\n"
                            "typedef int32_t HRESULT;\n"
                            "typedef uint8_t BYTE;\n"
                            "typedef uint8_t byte;\n"
                            "typedef bool boolean;\n"
                            "typedef uint16_t WORD;\n"
                            "typedef uint32_t DWORD;\n"
                            "typedef uint32_t ULONG;\n"
                            "typedef int32_t LONG;\n"
                            "typedef int32_t BOOL;\n"
                            "typedef int64_t hyper;\n"
                            "typedef uint32_t com_handle_t;\n"
                            "typedef struct GUID {\n"
                            "    uint32_t Data1;\n"
                            "    uint16_t Data2;\n"
                            "    uint16_t Data3;\n"
                            "    uint8_t Data4[8];\n"
                            "} GUID;\n"
                            "typedef GUID IID;\n"
                            "typedef const IID *REFIID;\n"
                            "typedef GUID CLSID;\n"
                            "typedef const CLSID *REFCLSID;\n";
