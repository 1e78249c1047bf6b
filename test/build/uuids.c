/* Every interface of idl/ has its own IID. Two interfaces with one uuid
 * make the kernel's and the runtime's tables (build/gen/idl/interfaces.h)
 * find the wrong one: a proxy gets the other interface's vtbl and calls
 * the wrong methods (it happened: IKeyValue was once given ISystem's). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#define MAX 64

Test(build_idl, every_interface_has_its_own_uuid)
{
    static char uuids[MAX][40], files[MAX][256];
    int n = 0;
    DIR *d = opendir(SRCDIR "/idl");
    cr_assert_not_null(d);
    for (struct dirent *de; (de = readdir(d));) {
        const char *dot = strrchr(de->d_name, '.');
        if (!dot || strcmp(dot, ".idl"))
            continue;
        char path[4096], line[512];
        snprintf(path, sizeof path, SRCDIR "/idl/%s", de->d_name);
        FILE *f = fopen(path, "r");
        cr_assert_not_null(f, "%s", path);
        while (fgets(line, sizeof line, f)) {
            const char *u = strstr(line, "uuid(");
            if (!u || n == MAX)
                continue;
            snprintf(uuids[n], sizeof uuids[n], "%.36s", u + 5);
            snprintf(files[n], sizeof files[n], "%s", de->d_name);
            for (int i = 0; i < n; i++)
                cr_expect(strcasecmp(uuids[i], uuids[n]), "%s and %s share uuid %s", files[i],
                          files[n], uuids[n]);
            n++;
        }
        fclose(f);
    }
    closedir(d);
    cr_expect_geq(n, 10, "the uuids of idl/ were found");
    cr_expect_lt(n, MAX);
}
