/* Running a user program of the boot archive to its end, for the guest
 * tests driven from user programs. */
#ifndef TEST_PROC_RUN_H
#define TEST_PROC_RUN_H

#include <stdint.h>

/* Start argv[0] with argv and wait for it; its exit status, or -1 (and a
 * recorded failure) when it cannot start. */
int32_t run_program(int argc, const char *const *argv);

/* Terminate p (a service's process), wait for its end and drop the
 * reference. */
struct process;
void end_process(struct process *p);

#endif
