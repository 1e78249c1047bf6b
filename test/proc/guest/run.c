/* Running a user program to its end (see run.h). */
#include "run.h"
#include <kernel/ktest.h>
#include <kernel/proc/process.h>

int32_t run_program(int argc, const char *const *argv)
{
    struct process *p;
    SCODE sc = process_spawn(argv[0], argc, argv, &p);
    if (FAILED(sc)) {
        ktest_fail(__FILE__, __LINE__, "cannot start %s: %#x", argv[0], (unsigned)sc);
        return -1;
    }
    int32_t code = process_wait(p);
    process_release(p);
    return code;
}

void end_process(struct process *p)
{
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
}
