// Every malformed input gets `file.idl:line:col: error: message` on stderr,
// pointing into the file the user wrote, and exit status 1.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_idlc.h"

#define HEAD  "import \"IUnknown.idl\";\n"
#define UUID1 "[object, uuid(6d2f1a40-3b7c-4e55-9a1e-0c8b5d7e9f01)]\n"
#define UUID2 "[object, uuid(6d2f1a40-3b7c-4e55-9a1e-0c8b5d7e9f02)]\n"

// Fixed arrays, not pointers: Criterion copies parameters into the test's
// own process, where the parent's pointers mean nothing.
struct diag_case {
    char name[64]; // the test file is NAME.idl
    char source[400];
    char expect[200]; // the first line of stderr
};

static const struct diag_case cases[] = {
    {"unknown_attribute",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in, bogus] int32_t x);\n};\n",
     "unknown_attribute.idl:4:18: error: unknown attribute 'bogus'"},
    {"misplaced_attribute",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in, uuid(x)] int32_t x);\n};\n",
     "misplaced_attribute.idl:4:18: error: attribute 'uuid' does not apply to a parameter"},
    {"size_is_missing",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in, size_is(n)] const int32_t *v);\n};\n",
     "size_is_missing.idl:4:18: error: size_is: 'n' is not a parameter of method 'F'"},
    {"size_is_not_integer",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] double n, [in, size_is(n)] const "
                "int32_t *v);\n};\n",
     "size_is_not_integer.idl:4:33: error: size_is: parameter 'n' is not an integer"},
    {"out_not_pointer", HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([out] int32_t x);\n};\n",
     "out_not_pointer.idl:4:27: error: [out] parameter 'x' is not a pointer"},
    {"duplicate_method",
     HEAD UUID1
     "interface IA : IUnknown {\n    SCODE F([in] int32_t x);\n    SCODE F([in] uint8_t y);\n};\n",
     "duplicate_method.idl:5:11: error: duplicate method 'F' in interface 'IA'"},
    {"inherited_method",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE AddRef([in] int32_t x);\n};\n",
     "inherited_method.idl:4:11: error: method 'AddRef' is already declared in base interface "
     "'IUnknown'"},
    {"duplicate_interface",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F();\n};\n" UUID2
                "interface IA : IUnknown {\n    SCODE G();\n};\n",
     "duplicate_interface.idl:7:11: error: redefinition of 'IA'"},
    {"unknown_base", HEAD UUID1 "interface IA : INope {\n    SCODE F();\n};\n",
     "unknown_base.idl:3:16: error: base interface 'INope' is not declared"},
    {"inheritance_cycle",
     HEAD "interface IB;\n" UUID1 "interface IA : IB {\n    SCODE F();\n};\n" UUID2
          "interface IB : IA {\n    SCODE G();\n};\n",
     "inheritance_cycle.idl:4:16: error: base interface 'IB' is declared but not defined (an "
     "inheritance cycle?)"},
    {"no_base", UUID1 "interface IA {\n    SCODE F();\n};\n",
     "no_base.idl:2:11: error: interface 'IA' must inherit from IUnknown"},
    {"missing_uuid", HEAD "[object]\ninterface IA : IUnknown {\n    SCODE F();\n};\n",
     "missing_uuid.idl:3:11: error: interface 'IA' has no uuid attribute"},
    {"malformed_uuid",
     HEAD "[object, uuid(6d2f1a40-3b7c-4e55-9a1e-0c8b5d7e9f0g)]\ninterface IA : IUnknown {\n    "
          "SCODE F();\n};\n",
     "malformed_uuid.idl:2:10: error: malformed uuid '6d2f1a40-3b7c-4e55-9a1e-0c8b5d7e9f0g': "
     "expected 8-4-4-4-12 hex digits"},
    {"unsupported_type",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] long double x);\n};\n",
     "unsupported_type.idl:4:18: error: unsupported type 'long double' of parameter 'x'"},
    {"unsupported_void_pointer",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] void *p);\n};\n",
     "unsupported_void_pointer.idl:4:18: error: unsupported type 'void *' of parameter 'p': a void "
     "pointer needs size_is (bytes)"},
    {"missing_import", "\n  import \"nope.idl\";\n",
     "missing_import.idl:2:10: error: cannot find imported file 'nope.idl'"},
    {"syntax_error", HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] int32_t x)\n};\n",
     "syntax_error.idl:4:28: error: expected ';' at end of declaration list"},
    {"bad_return", HEAD UUID1 "interface IA : IUnknown {\n    int F();\n};\n",
     "bad_return.idl:4:9: error: method 'F' returns 'int': only a [local] method may return "
     "anything but SCODE or HRESULT"},
    {"unterminated_attributes",
     HEAD "[object, uuid(6d2f1a40-3b7c-4e55-9a1e-0c8b5d7e9f01)\ninterface IA : IUnknown {};\n",
     "unterminated_attributes.idl:2:1: error: unterminated attribute list"},
    {"stray_attributes", HEAD "[object]\n",
     "stray_attributes.idl:2:1: error: attribute list does not apply to any declaration"},
    {"string_not_char",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in, string] const int32_t *s);\n};\n",
     "string_not_char.idl:4:41: error: [string] parameter 's' must be a char pointer"},
    {"out_interface_by_value",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([out] IUnknown *p);\n};\n",
     "out_interface_by_value.idl:4:29: error: [out] interface pointer 'p' needs two levels of "
     "indirection"},
    {"iid_is_not_iid",
     HEAD UUID1
     "interface IA : IUnknown {\n    SCODE F([in] int32_t n, [out, iid_is(n)] void **p);\n};\n",
     "iid_is_not_iid.idl:4:35: error: iid_is: parameter 'n' is not an IID pointer (REFIID)"},
    {"reserved_name",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] int32_t idl_sc);\n};\n",
     "reserved_name.idl:4:26: error: parameter name 'idl_sc' is reserved"},
    {"embedded_pointer", HEAD "struct S { int32_t *p; };\n",
     "embedded_pointer.idl:2:21: error: pointer field 'p' needs [string] or [size_is]"},
    {"unsupported_declaration", "int f(int x);\n",
     "unsupported_declaration.idl:1:5: error: unsupported declaration"},
    {"size_is_out_deref",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([out] uint32_t *pn, [in, size_is(*pn)] "
                "const int32_t *v);\n};\n",
     "size_is_out_deref.idl:4:38: error: size_is: parameter 'pn' is [out] only: its value is not "
     "known before the call"},
    {"size_is_pointer_without_star",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] const uint32_t *pn, [in, size_is(pn)] "
                "const int32_t *v);\n};\n",
     "size_is_pointer_without_star.idl:4:43: error: size_is: parameter 'pn' is a pointer: write "
     "'*pn' for the value it points to"},
    {"size_is_bad_expression",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] uint32_t n, [in, size_is(n +)] const "
                "int32_t *v);\n};\n",
     "size_is_bad_expression.idl:4:35: error: size_is: expression ends early in 'n +'"},
    {"length_is_without_size_is",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] uint32_t n, [out, length_is(n)] "
                "int32_t *v);\n};\n",
     "length_is_without_size_is.idl:4:36: error: length_is needs size_is (the capacity) on "
     "parameter 'v'"},
    {"out_struct_with_pointers",
     HEAD "struct S { uint32_t n; [size_is(n)] int32_t *p; };\n" UUID1
          "interface IA : IUnknown {\n    SCODE F([out] struct S *s);\n};\n",
     "out_struct_with_pointers.idl:5:29: error: parameter 's' is [out] and 'S' has embedded "
     "pointers: only [in] structs may carry pointers (return the pointed-to data in [out] arrays "
     "instead)"},
    {"struct_too_large",
     HEAD "struct Big { uint8_t b[70000]; };\n" UUID1
          "interface IA : IUnknown {\n    SCODE F([in] struct Big b);\n};\n",
     "struct_too_large.idl:5:11: error: the arguments of method 'F' take up to 70000 bytes, more "
     "than a signature can describe (65535): pass large structs by pointer"},
    {"inout_interface_array",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] uint32_t n, [in, out, size_is(n)] "
                "IUnknown **p);\n};\n",
     "inout_interface_array.idl:4:63: error: [in, out] array of interface pointers 'p' is not "
     "supported"},
    {"size_is_on_string",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] uint32_t n, [in, string, size_is(n)] "
                "const char *s);\n};\n",
     "size_is_on_string.idl:4:43: error: size_is does not apply to [string] parameter 's'"},
    {"retval_not_last",
     HEAD UUID1
     "interface IA : IUnknown {\n    SCODE F([out, retval] int32_t *r, [in] int32_t x);\n};\n",
     "retval_not_last.idl:4:19: error: [retval] applies only to the last parameter, an [out] "
     "pointer"},
    {"identical_methods",
     HEAD UUID1 "interface IA : IUnknown {\n    SCODE F([in] int32_t x);\n    SCODE F([in] int32_t "
                "x);\n}\n",
     "identical_methods.idl:5:11: error: duplicate method 'F' in interface 'IA'"},
    {"property_clash",
     HEAD UUID1 "interface IA : IUnknown {\n    [propget] SCODE X([out, retval] int32_t *p);\n    "
                "[propget] SCODE X([out, retval] int32_t *q);\n}\n",
     "property_clash.idl:5:21: error: duplicate method 'get_X' in interface 'IA'"},
    {"cpp_quote_in_interface",
     HEAD UUID1 "interface IA : IUnknown {\n    cpp_quote(\"x\")\n    SCODE F();\n}\n",
     "cpp_quote_in_interface.idl:4:5: error: cpp_quote inside an interface is not supported: put "
     "it "
     "before or after the interface"},
    {"malformed_cpp_quote", HEAD "cpp_quote(x)\n",
     "malformed_cpp_quote.idl:2:1: error: malformed cpp_quote: expected cpp_quote(\"text\")"},
    {"coclass_unknown_interface",
     HEAD "[uuid(6d2f1a40-3b7c-4e55-9a1e-0c8b5d7e9f05)]\ncoclass C {\n    [default] interface "
          "INope;\n};\n",
     "coclass_unknown_interface.idl:4:25: error: coclass 'C' lists 'INope', which is not an "
     "interface"},
    {"coclass_without_uuid", HEAD "coclass C {\n    interface IUnknown;\n}\n",
     "coclass_without_uuid.idl:2:9: error: coclass 'C' has no uuid attribute"},
    {"malformed_library", HEAD "library {\n}\n",
     "malformed_library.idl:2:1: error: malformed library: expected library NAME { ... }"},
    {"coclass_member_attribute",
     HEAD "[uuid(6d2f1a40-3b7c-4e55-9a1e-0c8b5d7e9f05)]\ncoclass C {\n    [source] interface "
          "IUnknown;\n};\n",
     "coclass_member_attribute.idl:4:6: error: attribute 'source' does not apply to a coclass "
     "member"},
    {"dispinterface", HEAD "dispinterface D {\n};\n",
     "dispinterface.idl:2:1: error: dispinterface is not supported: declare an [object] interface "
     "with [propget]/[propput] methods"},
    {"call_as", HEAD UUID1 "interface IA : IUnknown {\n    [call_as(F)] SCODE RemoteF();\n}\n",
     "call_as.idl:4:6: error: call_as is not supported: write the remotable method only"},
    {"remote_ulong", HEAD UUID1 "interface IA : IUnknown {\n    ULONG F();\n}\n",
     "remote_ulong.idl:4:11: error: method 'F' returns 'ULONG': only a [local] method may return "
     "anything but SCODE or HRESULT"},
    {"two_property_kinds",
     HEAD UUID1 "interface IA : IUnknown {\n    [propget, propput] SCODE X([in] int32_t v);\n}\n",
     "two_property_kinds.idl:4:30: error: method 'get_X' has more than one of propget, propput, "
     "propputref"},
};

ParameterizedTestParameters(idlc_diagnostics, reports)
{
    return cr_make_param_array(struct diag_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(const struct diag_case *c, idlc_diagnostics, reports)
{
    char *dir = temp_dir();
    char file[256];
    snprintf(file, sizeof(file), "%s.idl", c->name);
    write_text(dir, file, c->source);
    const char *argv[] = {"-I", SRCDIR "/idl", "-o", dir, file, NULL};
    struct idlc_result r = run_idlc(dir, argv);
    cr_expect_eq(r.status, 1, "%s: exit status %d, stderr:\n%s", c->name, r.status, r.err);
    size_t n = strlen(c->expect);
    cr_expect(!strncmp(r.err, c->expect, n) && (r.err[n] == '\n'),
              "%s:\nexpected: %s\ngot:      %s", c->name, c->expect, r.err);
    idlc_result_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(idlc_diagnostics, error_in_imported_file_points_there)
{
    char *dir = temp_dir();
    write_text(dir, "inner.idl",
               "import \"IUnknown.idl\";\n\n[object]\ninterface IX : IUnknown {};\n");
    write_text(dir, "outer.idl", "import \"inner.idl\";\n");
    const char *argv[] = {"-I", SRCDIR "/idl", "-o", dir, "outer.idl", NULL};
    struct idlc_result r = run_idlc(dir, argv);
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.err, "inner.idl:4:11: error: interface 'IX' has no uuid attribute\n");
    idlc_result_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(idlc_diagnostics, usage_errors_exit_2)
{
    char *dir = temp_dir();
    const char *none[] = {NULL};
    const char *bad[] = {"--frobnicate", "x.idl", NULL};
    const char *two[] = {"a.idl", "b.idl", NULL};
    const char *missing[] = {"-o", NULL};
    const char *const *cases[] = {none, bad, two, missing};
    for (size_t i = 0; i < 4; i++) {
        struct idlc_result r = run_idlc(dir, cases[i]);
        cr_expect_eq(r.status, 2, "case %zu: status %d", i, r.status);
        cr_expect(strstr(r.err, "usage: idlc"), "case %zu", i);
        idlc_result_free(&r);
    }
    const char *help[] = {"--help", NULL};
    struct idlc_result r = run_idlc(dir, help);
    cr_expect_eq(r.status, 0);
    cr_expect(strstr(r.out, "--depfile FILE"));
    idlc_result_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(idlc_diagnostics, unreadable_input_exits_1)
{
    char *dir = temp_dir();
    const char *argv[] = {"nonexistent.idl", NULL};
    struct idlc_result r = run_idlc(dir, argv);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "nonexistent.idl"));
    idlc_result_free(&r);
    remove_tree(dir);
    free(dir);
}
