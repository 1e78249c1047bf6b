// Golden tests: idlc's output for test/idlc/idlc_example.idl must match
// test/idlc/golden/NAME.golden byte for byte (the .golden suffix keeps the
// expected output from looking like sources or build products). After an
// intended change to the output, regenerate with:
//   build/idlc -I idl -o /tmp/g test/idlc/idlc_example.idl &&
//   for f in /tmp/g/idlc_example*; do cp $f test/idlc/golden/${f##*/}.golden; done
// and review the diff.
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_idlc.h"

static const char *const outputs[] = {"idlc_example.h", "idlc_example_proxy.c",
                                      "idlc_example_stub.c", "idlc_example_sig.c"};

Test(idlc_golden, example_outputs_match)
{
    char *dir = temp_dir();
    // Run from the repository root so the comment naming the input is stable.
    const char *argv[] = {"-I", "idl", "-o", dir, "test/idlc/idlc_example.idl", NULL};
    struct idlc_result r = run_idlc(SRCDIR, argv);
    cr_assert_eq(r.status, 0, "idlc failed:\n%s", r.err);
    for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
        char got_path[4096], want_path[4096];
        snprintf(got_path, sizeof(got_path), "%s/%s", dir, outputs[i]);
        snprintf(want_path, sizeof(want_path), "%s/test/idlc/golden/%s.golden", SRCDIR, outputs[i]);
        char *got = read_text(got_path), *want = read_text(want_path);
        cr_assert_not_null(got, "%s was not written", outputs[i]);
        cr_assert_not_null(want, "%s is missing", want_path);
        cr_expect_str_eq(got, want, "%s differs from the golden file", outputs[i]);
        free(got);
        free(want);
    }
    idlc_result_free(&r);
    remove_tree(dir);
    free(dir);
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
