/* The guest tests' server process (see server.h). */
#include "server.h"
#include "../../proc/guest/test_object.h"
#include <kernel/ipc/remote.h>
#include <kernel/ktest.h>
#include <kernel/sched/sched.h>

static ITestObject *mailbox(void)
{
    return (ITestObject *)test_object();
}

bool server_start(struct server *s, const char *max, const char *idle, const char *queue)
{
    return server_start_mode(s, "serve", max, idle, queue);
}

bool server_start_mode(struct server *s, const char *mode, const char *max, const char *idle,
                       const char *queue)
{
    const char *argv[] = {"test_ipc", mode, max, idle, queue};
    s->remote = 0;
    if (FAILED(process_spawn_with("test_ipc", max ? 5 : 2, argv, test_object(), &IID_ITestObject,
                                  &s->p))) {
        ktest_fail(__FILE__, __LINE__, "cannot start the server");
        return false;
    }
    for (int i = 0; i < 1000 && !s->remote; i++) {
        if (ITestObject_Get(mailbox(), &s->remote) != S_OK)
            thread_sleep_ticks(1);
    }
    if (!s->remote)
        ktest_fail(__FILE__, __LINE__, "the server's object never came");
    return s->remote != 0;
}

void server_stop(struct server *s)
{
    ITestObject_Put(mailbox(), 0);
    if (s->remote)
        ITestObject_Release(s->remote);
    process_terminate(s->p, 0x5e);
    process_wait(s->p);
    process_release(s->p);
    if (remote_count() != 0)
        ktest_fail(__FILE__, __LINE__, "%u remote objects left", (unsigned)remote_count());
}

struct process *client_start(int argc, const char *const *argv)
{
    struct process *p;
    if (FAILED(process_spawn_with("test_ipc", argc, argv, test_object(), &IID_ITestObject, &p)))
        return 0;
    return p;
}

int32_t client_run(int argc, const char *const *argv)
{
    struct process *p = client_start(argc, argv);
    if (!p)
        return -1;
    int32_t code = process_wait(p);
    process_release(p);
    return code;
}

struct thread *server_busy_thread(const struct server *s)
{
    unsigned long irq = np_begin(NP_SCHED);
    struct thread *t = sched_all_threads();
    while (t && !(t->process == s->p && t->serving && t->state != T_DEAD))
        t = t->next_all;
    np_end(NP_SCHED, irq);
    return t;
}

int server_top_priority(const struct server *s)
{
    int top = -1;
    unsigned long irq = np_begin(NP_SCHED);
    for (struct thread *t = sched_all_threads(); t; t = t->next_all)
        if (t->process == s->p && t->state != T_DEAD && t->prio > top)
            top = t->prio;
    np_end(NP_SCHED, irq);
    return top;
}
