/* sleep: waits SECONDS (default 10) and exits 0; a program that stays
 * around for ps and kill to see. */
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned long seconds = argc > 1 ? strtoul(argv[1], NULL, 10) : 10;
    for (unsigned long i = 0; i < seconds; i++)
        IProcess_Sleep(CurrentProcess(), 1000);
    return 0;
}
