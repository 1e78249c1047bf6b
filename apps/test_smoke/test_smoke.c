/* test_smoke: a guest-side test program (only in kernel-test.elf's boot
 * archive): the runtime starts, prints, allocates and exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    (void)argv;
    char *p = malloc(100);
    if (!p) {
        puts("test_smoke: malloc failed");
        return 1;
    }
    memset(p, 'x', 100);
    free(p);
    printf("test_smoke: ok (argc %d)\n", argc);
    return 0;
}
