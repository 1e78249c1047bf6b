// The base types are declared twice: in <com/com.h> for C, and in idlc's
// prelude (idlc/prelude.c) for clang's parse of IDL. Each typedef must be
// the same in both, or an IDL file would compile against a type the C
// side spells differently. Compared as text, declaration by declaration.
#include "run_idlc.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", SRCDIR, rel);
    char *text = read_text(path);
    cr_assert_not_null(text, "%s", path);
    return text;
}

// The next one-line "typedef ...;" declaration at or after *p, into out;
// false at the end. (The GUID struct is compared field by field below.)
static bool next_typedef(const char **p, char *out, size_t size)
{
    for (const char *t = strstr(*p, "typedef "); t; t = strstr(t + 1, "typedef ")) {
        const char *end = strchr(t, ';');
        const char *nl = strchr(t, '\n');
        if (!end)
            return false;
        if (nl && nl < end) // a multi-line struct: not a one-line typedef
            continue;
        snprintf(out, size, "%.*s", (int)(end - t + 1), t);
        *p = end + 1;
        return true;
    }
    return false;
}

// In the prelude each declaration is a C string ending in "\n".
static bool prelude_has(const char *prelude, const char *decl)
{
    char quoted[600];
    snprintf(quoted, sizeof quoted, "\"%s\\n\"", decl);
    return strstr(prelude, quoted) != NULL;
}

Test(idlc_prelude, com_h_typedefs_are_the_preludes)
{
    char *com = read_all("idl/include/com/com.h");
    char *prelude = read_all("idlc/prelude.c");
    char decl[512];
    int n = 0;
    for (const char *p = com; next_typedef(&p, decl, sizeof decl); n++)
        cr_expect(prelude_has(prelude, decl), "idlc/prelude.c lacks <com/com.h>'s %s", decl);
    cr_expect_geq(n, 15, "found the typedefs of com.h");
    static const char *const guid[] = {"typedef struct GUID {", "uint32_t Data1;",
                                       "uint16_t Data2;",       "uint16_t Data3;",
                                       "uint8_t Data4[8];",     "} GUID;"};
    for (size_t i = 0; i < sizeof guid / sizeof guid[0]; i++) {
        cr_expect(strstr(com, guid[i]) != NULL, "com.h: %s", guid[i]);
        cr_expect(strstr(prelude, guid[i]) != NULL, "prelude: %s", guid[i]);
    }
    free(com);
    free(prelude);
}

Test(idlc_prelude, the_preludes_own_typedefs_are_com_hs_or_standard)
{
    static const char *const standard[] = {"int8_t",    "uint8_t",  "int16_t", "uint16_t",
                                           "int32_t",   "uint32_t", "int64_t", "uint64_t",
                                           "uintptr_t", "intptr_t", "size_t"};
    char *com = read_all("idl/include/com/com.h");
    char *prelude = read_all("idlc/prelude.c");
    for (const char *p = strstr(prelude, "\"typedef "); p; p = strstr(p + 1, "\"typedef ")) {
        const char *end = strstr(p, ";\\n\"");
        if (!end || (strchr(p, '{') && strchr(p, '{') < end))
            continue; // the GUID struct, compared above
        const char *name = end;
        while (name > p &&
               (name[-1] == '_' || (name[-1] >= '0' && name[-1] <= '9') ||
                (name[-1] >= 'A' && name[-1] <= 'Z') || (name[-1] >= 'a' && name[-1] <= 'z')))
            name--;
        char n[64];
        snprintf(n, sizeof n, "%.*s", (int)(end - name), name);
        bool std = false;
        for (size_t i = 0; i < sizeof standard / sizeof standard[0]; i++)
            std |= strcmp(n, standard[i]) == 0;
        char decl[512];
        snprintf(decl, sizeof decl, "%.*s", (int)(end - p), p + 1);
        cr_expect(std || strstr(com, decl) != NULL, "<com/com.h> lacks the prelude's %s;", decl);
    }
    free(com);
    free(prelude);
}
