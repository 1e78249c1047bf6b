// idlc never crashes: every input the fuzzer ever found troublesome
// (test/idlc/fuzz/regress/) and every seed (test/idlc/fuzz/corpus/) ends
// with exit status 0 or 1, never a signal.
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_idlc.h"

static int run_dir(const char *sub)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/test/idlc/fuzz/%s", SRCDIR, sub);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    char *tmp = temp_dir();
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *text;
        char file[4096 + 256];
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        cr_assert_not_null(text = read_text(file));
        write_text(tmp, "input.idl", text);
        free(text);
        const char *argv[] = {"-I", SRCDIR "/idl", "-o", tmp, "input.idl", NULL};
        struct idlc_result r = run_idlc(tmp, argv);
        cr_expect(r.status == 0 || r.status == 1, "%s/%s: exit status %d", sub, e->d_name,
                  r.status);
        idlc_result_free(&r);
        n++;
    }
    closedir(d);
    remove_tree(tmp);
    free(tmp);
    return n;
}

Test(idlc_fuzz_regress, never_crashes)
{
    cr_expect_gt(run_dir("corpus"), 0);
    run_dir("regress");
}
