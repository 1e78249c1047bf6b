// libFuzzer harness for idlc: every input is compiled as an IDL file with
// idl/ and the MIDL corpus (test/idlc/midl/) on the import path. idlc must
// never crash, leak or hang on any input.
// Build and run (see docs/IDL.md, "Fuzzing"):
//   clang -g -O1 -fsanitize=fuzzer,address -D_GNU_SOURCE -I/usr/lib/llvm-14/include -Iidlc \
//     -DSRCDIR='"'$PWD'"' test/idlc/fuzz_idlc.c $(ls idlc/*.c | grep -v main.c) \
//     -L/usr/lib/llvm-14/lib -lclang -Wl,-rpath,/usr/lib/llvm-14/lib -o build/fuzz_idlc
//   build/fuzz_idlc -close_fd_mask=2 -max_total_time=600 CORPUS test/idlc/fuzz/corpus
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idlc.h"

static char dir[] = "/tmp/idlc-fuzz-XXXXXX";
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        abort();
    snprintf(path, sizeof(path), "%s/fuzz.idl", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    const char *inc[] = {SRCDIR "/idl", SRCDIR "/test/idlc/midl"};
    int rc = idlc_compile(path, dir, NULL, inc, 2);
    if (rc != 0 && rc != 1)
        abort();
    return 0;
}
