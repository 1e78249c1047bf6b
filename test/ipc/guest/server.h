/* A test_ipc server process for the guest tests of calls into processes
 * (calls.c, bench.c): the test kernel's test object is the mailbox its
 * exported object arrives in. */
#ifndef TEST_IPC_SERVER_H
#define TEST_IPC_SERVER_H

#include <ITestObject.h>
#include <kernel/proc/process.h>

struct server {
    struct process *p;
    ITestObject *remote; /* the kernel's reference to its object */
};

/* Start `test_ipc serve` (with pool settings when max is not NULL) and
 * wait for its object; false (and a recorded failure) if it never comes. */
bool server_start(struct server *s, const char *max, const char *idle, const char *queue);
/* The same with another serving mode of test_ipc (serve-rogue). */
bool server_start_mode(struct server *s, const char *mode, const char *max, const char *idle,
                       const char *queue);
/* End it, drop every reference to its object, and check no remote is left. */
void server_stop(struct server *s);
/* Run `test_ipc ARGS...` as a client of the mailbox to its end; its status. */
int32_t client_run(int argc, const char *const *argv);
/* The same, not waiting. */
struct process *client_start(int argc, const char *const *argv);
/* A thread of the server's that runs a call now, or NULL. */
struct thread *server_busy_thread(const struct server *s);
/* The highest priority among the server's live threads. */
int server_top_priority(const struct server *s);

#endif
