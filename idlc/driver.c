// The command line: idlc [-I DIR]... [-o OUTDIR] [--depfile FILE] FILE.idl
#include "idlc.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: idlc [-I DIR]... [-o OUTDIR] [--depfile FILE] FILE.idl\n"
    "       idlc --help\n"
    "\n"
    "Compiles a COM IDL file into C. For FILE.idl with basename NAME, writes\n"
    "  OUTDIR/NAME.h        vtbls, IIDs, method indices, call macros, argument blocks\n"
    "  OUTDIR/NAME_proxy.c  client proxies that call com_invoke()\n"
    "  OUTDIR/NAME_stub.c   server stubs (NAME_Dispatch per interface)\n"
    "  OUTDIR/NAME_sig.c    IIDs and method signatures for the kernel\n"
    "\n"
    "options:\n"
    "  -I DIR          search DIR for imported files (after the importing file's directory)\n"
    "  -o OUTDIR       write the outputs into OUTDIR (default: .)\n"
    "  --depfile FILE  write a Make-style depfile: OUTDIR/NAME.h depends on FILE.idl\n"
    "                  and every file it imports, transitively\n"
    "  --help          show this help\n"
    "\n"
    "Errors are reported as file.idl:line:col: error: message, exit status 1.\n"
    "Usage errors exit with status 2.\n";

// NAME of path/NAME.idl.
static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    size_t n = strlen(b);
    if (n > 4 && !strcmp(b + n - 4, ".idl"))
        n -= 4;
    return xstrndup(b, n);
}

int idlc_compile(const char *path, const char *outdir, const char *depfile,
                 const char *const *incdirs, int nincdirs)
{
    struct sources all;
    struct model m = {0};
    diag_reset();
    bool ok = imports_load(&all, path, incdirs, nincdirs);
    ok = ok && parse_sources(&all, &m, incdirs, nincdirs);
    if (ok)
        check_model(&m, &all);
    ok = ok && diag_count() == 0;
    char *base = base_name(path);
    if (ok)
        ok = emit_all(&m, outdir, base, path);
    if (ok && depfile) {
        char *target = xasprintf("%s/%s.h", outdir, base);
        ok = write_depfile(depfile, target, &all);
        free(target);
    }
    free(base);
    model_free(&m);
    sources_free(&all);
    return ok ? 0 : 1;
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "idlc: %s%s%s\n%s", msg, arg ? ": " : "", arg ? arg : "", usage);
    return 2;
}

int idlc_main(int argc, char **argv)
{
    const char *outdir = ".", *depfile = NULL, *input = NULL;
    const char **incdirs = xcalloc((size_t)argc, sizeof(char *));
    int nincdirs = 0, rc = -1;
    for (int i = 1; i < argc && rc < 0; i++) {
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            rc = 0;
        } else if (!strcmp(a, "-I") || !strcmp(a, "-o") || !strcmp(a, "--depfile")) {
            if (!has_next)
                rc = usage_error("missing argument to", a);
            else if (a[1] == 'I')
                incdirs[nincdirs++] = argv[++i];
            else if (a[1] == 'o')
                outdir = argv[++i];
            else
                depfile = argv[++i];
        } else if (!strncmp(a, "-I", 2)) {
            incdirs[nincdirs++] = a + 2;
        } else if (a[0] == '-' && a[1]) {
            rc = usage_error("unknown option", a);
        } else if (input) {
            rc = usage_error("more than one input file", a);
        } else {
            input = a;
        }
    }
    if (rc < 0)
        rc = input ? idlc_compile(input, outdir, depfile, incdirs, nincdirs)
                   : usage_error("no input file", NULL);
    free(incdirs);
    return rc;
}
