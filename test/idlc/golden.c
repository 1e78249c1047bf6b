// Golden tests: idlc's output for test/idlc/idlc_example.idl must match
// test/idlc/golden/NAME.golden byte for byte (the .golden suffix keeps the
// expected output from looking like sources or build products); the same
// for the MIDL corpus's files. After an intended change to the output,
// regenerate with tools/idlc-golden and review the diff.
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_idlc.h"

static const char *const parts[] = {".h", "_proxy.c", "_stub.c", "_sig.c"};

// Compiles test/idlc/DIR/NAME.idl and compares its four outputs.
static void check_golden(const char *dir_name, const char *name)
{
    char *dir = temp_dir();
    char input[512];
    snprintf(input, sizeof(input), "test/idlc/%s%s.idl", dir_name, name);
    // Run from the repository root so the comment naming the input is stable.
    const char *argv[] = {"-I", "idl", "-I", "test/idlc/midl", "-o", dir, input, NULL};
    struct idlc_result r = run_idlc(SRCDIR, argv);
    cr_assert_eq(r.status, 0, "idlc failed:\n%s", r.err);
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        char got_path[4096], want_path[4096];
        snprintf(got_path, sizeof(got_path), "%s/%s%s", dir, name, parts[i]);
        snprintf(want_path, sizeof(want_path), "%s/test/idlc/golden/%s%s.golden", SRCDIR, name,
                 parts[i]);
        char *got = read_text(got_path), *want = read_text(want_path);
        cr_assert_not_null(got, "%s%s was not written", name, parts[i]);
        cr_assert_not_null(want, "%s is missing", want_path);
        cr_expect_str_eq(got, want, "%s%s differs from the golden file", name, parts[i]);
        free(got);
        free(want);
    }
    idlc_result_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(idlc_golden, example_outputs_match)
{
    check_golden("", "idlc_example");
}

// MIDL as users write it: cpp_quote in place, properties, local methods,
// a library and a coclass, an #included C header.
Test(idlc_golden, midl_corpus_outputs_match)
{
    check_golden("midl/", "midl_objidl");
    check_golden("midl/", "midl_shapes");
}

Test(idlc_golden, depfile_lists_transitive_imports)
{
    char *dir = temp_dir();
    char dep[4096];
    snprintf(dep, sizeof(dep), "%s/x.d", dir);
    const char *argv[] = {"-I", "idl", "-o", dir, "--depfile", dep, "idl/IAddressSpace.idl", NULL};
    struct idlc_result r = run_idlc(SRCDIR, argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *text = read_text(dep);
    char want[8192];
    snprintf(want, sizeof(want),
             "%s/IAddressSpace.h: \\\n  idl/IAddressSpace.idl \\\n  idl/IUnknown.idl \\\n"
             "  idl/Types.idl \\\n  idl/IMemoryObject.idl\n",
             dir);
    cr_expect_str_eq(text, want);
    free(text);
    idlc_result_free(&r);
    remove_tree(dir);
    free(dir);
}
