/* hello: the smallest user program that says something: a line, its
 * arguments, and exit status 0. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello from a user process\n");
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
