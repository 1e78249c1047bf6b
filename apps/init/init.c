/* init: the first process the kernel starts. For now it only says so and
 * exits; it will start the shell. */
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    puts("init: first user process running (no shell yet)");
    return 0;
}
